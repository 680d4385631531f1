"""Routes of the projects module: JSON under /api/v1/projects (api.py) and pages (pages*.py).

The routers with fixed paths (``/projects/thresholds``, ``/projects/new`` …) come before those
with the project routes ``/{code}``, so that the fixed paths are matched first.
"""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.projects.api import router as api_router
from longcheng.projects.api_work import router as api_work_router
from longcheng.projects.pages import router as pages_router
from longcheng.projects.pages_form import router as form_router
from longcheng.projects.pages_tools import router as tools_router
from longcheng.projects.pages_work import router as work_router

routers: list[APIRouter] = [api_work_router, api_router, work_router, tools_router, form_router, pages_router]
