"""The live bidding room: server time and a corrected countdown, price, my position, bid buttons, history."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.core.http import ActorOrNone, DbSession
from longcheng.core.templating import render
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.api import mine
from longcheng.exchange.bidding.views import lot_json

router = APIRouter(include_in_schema=False)


@router.get("/exchange/lots/{lot_id}/room")
def room(lot_id: int, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """Anyone may watch; a qualified bidder with the deposit frozen may bid."""
    lot, listing = bidding.get_lot(session, lot_id)
    reg = mine(session, actor, listing.id)
    state = lot_json(session, lot, listing, mine=reg)
    can_bid = bool(reg and reg.status == "qualified" and reg.deposit == "frozen")
    return render(
        request, "exchange/room.html", actor, lot=lot, listing=listing, state=state, can_bid=can_bid
    )
