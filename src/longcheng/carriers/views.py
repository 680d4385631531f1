"""Every router of the carriers module, for ``web.ROUTERS``.

The officers' pages come before the public ones: ``/carriers/leads`` and ``/carriers/manage``
must not be read as a carrier's code by ``/carriers/{code}``.
"""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.carriers.api import router as api_router
from longcheng.carriers.pages.leads import router as leads_router
from longcheng.carriers.pages.portal import router as portal_router
from longcheng.carriers.pages.sites import router as sites_router

routers: list[APIRouter] = [api_router, leads_router, sites_router, portal_router]
