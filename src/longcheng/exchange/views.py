"""Routes of the exchange: JSON under /api/v1/exchange and the pages, fixed paths first."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.exchange import api as parties_api
from longcheng.exchange import pages as exchange_pages
from longcheng.exchange.alliance import api as alliance_api
from longcheng.exchange.alliance import pages as alliance_pages
from longcheng.exchange.bidding import api as bidding_api
from longcheng.exchange.bidding import pages as bidding_pages
from longcheng.exchange.ledger import api as ledger_api
from longcheng.exchange.ledger import pages as ledger_pages
from longcheng.exchange.listings import api as listings_api
from longcheng.exchange.listings import pages as listings_pages
from longcheng.exchange.members import api as members_api
from longcheng.exchange.members import pages as members_pages
from longcheng.exchange.monitoring import api as monitoring_api
from longcheng.exchange.monitoring import pages as monitoring_pages
from longcheng.exchange.tendering import api as tendering_api
from longcheng.exchange.tendering import pages as tendering_pages

routers: list[APIRouter] = [
    parties_api.router,
    members_api.router,
    ledger_api.router,
    bidding_api.router,
    listings_api.router,
    exchange_pages.router,
    ledger_pages.router,
    bidding_pages.router,
    listings_pages.router,
    members_pages.router,
    alliance_api.router,
    alliance_pages.router,
    tendering_api.router,
    tendering_pages.router,
    monitoring_api.router,
    monitoring_pages.router,
]
