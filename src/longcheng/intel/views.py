"""Routes of the intel module: JSON under /api/v1/intel (api.py) and pages under /intel (pages.py)."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.intel.api import router as api_router
from longcheng.intel.pages import router as pages_router

routers: list[APIRouter] = [api_router, pages_router]
