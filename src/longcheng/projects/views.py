"""Routes of the projects module: JSON under /api/v1/projects (api.py) and pages (pages*.py).

``pages_work`` comes before ``pages`` so that fixed paths (``/projects/thresholds`` …) are
matched before the project page ``/projects/{code}``.
"""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.projects.api import router as api_router
from longcheng.projects.pages import router as pages_router
from longcheng.projects.pages_work import router as work_router

routers: list[APIRouter] = [api_router, work_router, pages_router]
