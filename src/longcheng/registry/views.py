"""Routes of the registry: JSON under /api/v1/registry (api.py) and pages (pages.py)."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.registry.api import router as api_router
from longcheng.registry.pages import router as pages_router

routers: list[APIRouter] = [api_router, pages_router]
