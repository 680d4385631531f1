"""Routes of the projects module: JSON under /api/v1/projects and pages, in the order they match.

The routers with fixed paths (``/projects/thresholds``, ``/projects/leads``, ``/projects/new`` …)
come before those with the project routes ``/{code}``, so that the fixed paths are matched first.
"""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.projects.api import batch as api_batch
from longcheng.projects.api import plan as api_plan
from longcheng.projects.api import records as api_records
from longcheng.projects.evidence import api as evidence_api
from longcheng.projects.evidence import pages as evidence_pages
from longcheng.projects.pages import form as pages_form
from longcheng.projects.pages import records as pages_records
from longcheng.projects.pages import tools as pages_tools
from longcheng.projects.pages import work as pages_work
from longcheng.projects.report import pages as report_pages
from longcheng.projects.supervision import api as supervision_api
from longcheng.projects.supervision import pages as supervision_pages

routers: list[APIRouter] = [
    api_batch.router,
    evidence_api.router,
    supervision_api.router,
    api_plan.router,
    api_records.router,
    pages_work.router,
    supervision_pages.router,
    evidence_pages.router,
    report_pages.router,
    pages_tools.router,
    pages_form.router,
    pages_records.router,
]
