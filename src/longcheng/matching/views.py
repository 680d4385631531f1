"""Every router of the matching module, for ``web.ROUTERS``."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.matching.broker.api import pages as broker_pages
from longcheng.matching.broker.api import router as broker_api
from longcheng.matching.capabilities.api import router as capabilities_api
from longcheng.matching.capabilities.pages import router as capabilities_pages
from longcheng.matching.challenges.api import router as challenges_api
from longcheng.matching.challenges.pages import router as challenges_pages
from longcheng.matching.contracts.api import router as contracts_api
from longcheng.matching.review.api import router as review_api

routers: list[APIRouter] = [
    challenges_api,
    review_api,
    capabilities_api,
    broker_api,
    contracts_api,
    challenges_pages,
    capabilities_pages,
    broker_pages,
]
