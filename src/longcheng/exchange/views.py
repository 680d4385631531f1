"""Routes of the exchange: JSON under /api/v1/exchange and the pages, fixed paths first."""

from __future__ import annotations

from fastapi import APIRouter

from longcheng.exchange import api as parties_api
from longcheng.exchange import pages as exchange_pages
from longcheng.exchange.bidding import api as bidding_api
from longcheng.exchange.bidding import pages as bidding_pages
from longcheng.exchange.ledger import api as ledger_api
from longcheng.exchange.ledger import pages as ledger_pages
from longcheng.exchange.listings import api as listings_api
from longcheng.exchange.listings import pages as listings_pages

routers: list[APIRouter] = [
    parties_api.router,
    ledger_api.router,
    bidding_api.router,
    listings_api.router,
    exchange_pages.router,
    ledger_pages.router,
    bidding_pages.router,
    listings_pages.router,
]
