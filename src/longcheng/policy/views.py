"""Routes of the policy module: JSON under /api/v1/policy (api.py) and pages (pages*.py)."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.policy.api import router as api_router
from longcheng.policy.pages import router as pages_router
from longcheng.policy.pages_staff import router as staff_router

routers: list[APIRouter] = [api_router, staff_router, pages_router]
