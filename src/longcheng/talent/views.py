"""All routers of the talent module: the JSON API and the pages."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.talent.api import router as api_router
from longcheng.talent.pages import router as pages_router

routers: list[APIRouter] = [api_router, pages_router]
