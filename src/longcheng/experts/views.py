"""The routers of the experts module, for ``web.ROUTERS``."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.experts import api, pages

routers: list[APIRouter] = [api.router, pages.router]
