"""Every router of the cooperation module, for ``web.ROUTERS``."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.cooperation.pages import router as pages_router

routers: list[APIRouter] = [pages_router]
