"""Every router of the carriers module, for ``web.ROUTERS``."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.carriers.api import router as api_router
from longcheng.carriers.pages import router as pages_router

routers: list[APIRouter] = [api_router, pages_router]
