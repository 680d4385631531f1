"""Pages of listings: the public portal and listing page, registration, the operator console."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.actors import Role
from longcheng.core.auth import can, require
from longcheng.core.clock import format_local
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, wants_partial, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.auction.engine import PHASE_LABELS
from longcheng.exchange.bidding import results
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.ledger import statements
from longcheng.exchange.listings import query, registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.listings.api import parse_time
from longcheng.exchange.listings.views import class_label
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS
from longcheng.exchange.schemas import ListingFilter, ListingIn

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ListingFilter, Depends()]
EXPORT_HEADERS = (
    "项目编号",
    "项目名称",
    "资产类别",
    "状态",
    "地区",
    "转让方",
    "挂牌价（元）",
    "评估价（元）",
    "保证金（元）",
    "披露截止",
    "竞价开始",
    "第几次挂牌",
)


def _choices() -> dict[str, Any]:
    rb = book.load()
    return {
        "classes": [(c.code, c.label) for c in rb.classes.values()],
        "statuses": [(k, v) for k, v in listings.STATUS_LABELS.items() if k in listings.PUBLIC_STATUSES],
        "all_statuses": list(listings.STATUS_LABELS.items()),
        "modes": list(rb.modes.items()),
        "class_label": class_label,
        "status_label": listings.STATUS_LABELS,
    }


@router.get("/exchange")
def portal(
    request: Request, session: DbSession, actor: ActorOrNone, filters: FilterDep, paging: Paging
) -> Response:
    """The public portal: published listings by class, price, region and date (no login)."""
    page = query.public(session, filters=filters, page=paging.page, page_size=paging.page_size)
    return render_list(
        request,
        actor,
        "exchange/portal.html",
        "exchange/_listings.html",
        page,
        filters,
        base="/exchange",
        **_choices(),
    )


@router.get("/exchange/listings/{code}")
def listing_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    listing = listings.get(session, code)
    staff = actor is not None and actor.role in (Role.admin, Role.operator, Role.auditor)
    if listing.status not in listings.PUBLIC_STATUSES and not staff:
        listing = listings.get_public(session, code)
    lot = bidding.lot_of(session, listing)
    mine = None
    if actor is not None and actor.role is Role.bidder:
        bidder = parties.bidder_of(session, actor)
        mine = next((r for r, b in registrations.of_listing(session, listing) if b.id == bidder.id), None)
    regs = (
        registrations.of_listing(session, listing)
        if staff and actor and actor.role is not Role.auditor
        else []
    )
    return render(
        request,
        "exchange/listing.html",
        actor,
        listing=listing,
        lot=lot,
        mine=mine,
        regs=regs,
        asset_class=book.load().classes[listing.asset_class],
        chain=listings.chain(session, listing),
        rule_labels=RULE_LABELS,
        phase_label=PHASE_LABELS[bidding.phase_now(session, lot, listing)] if lot else "",
        reg_labels=registrations.STATUS_LABELS,
        deposit_labels=registrations.DEPOSIT_LABELS,
        settlement_labels=results.SETTLEMENT_LABELS,
        **_choices(),
    )


@router.post("/exchange/listings/{code}/register")
def register_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    accept: Annotated[str, Form()] = "",
    preemptor: Annotated[str, Form()] = "",
) -> Response:
    listing = listings.get_public(session, code)
    registrations.register(
        session, actor=actor, listing=listing, accept_conditions=bool(accept), preemptor=bool(preemptor)
    )
    return RedirectResponse(f"/exchange/listings/{code}", status_code=303)


@router.post("/exchange/listings/{code}/act")
def act_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    action: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    auction_start: Annotated[str, Form()] = "",
    start_price: Annotated[str, Form()] = "",
) -> Response:
    """The console's buttons on a listing: submit, approve, reject, suspend, resume, terminate, relist."""
    target = code
    if action == "submit":
        listings.submit(session, actor=actor, code=code)
    elif action == "approve":
        listings.approve(session, actor=actor, code=code, auction_start=parse_time(auction_start))
    elif action in ("reject", "suspend", "terminate"):
        getattr(listings, action)(session, actor=actor, code=code, reason=reason)
    elif action == "resume":
        listings.resume(
            session, actor=actor, code=code, auction_start=parse_time(auction_start) or _missing_time()
        )
    elif action == "relist":
        target = listings.relist(session, actor=actor, code=code, start_price=start_price).code
    return RedirectResponse(f"/exchange/listings/{target}", status_code=303)


def _missing_time() -> Any:
    from longcheng.core.errors import ValidationFailed

    raise ValidationFailed("请填写恢复后的竞价开始时间。", code="exchange.time_invalid")


@router.post("/exchange/registrations/{reg_id}/review")
def review_submit(
    reg_id: int,
    session: DbSession,
    actor: CurrentActor,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
    preemptor: Annotated[str, Form()] = "",
) -> Response:
    reg = registrations.review(
        session,
        actor=actor,
        reg_id=reg_id,
        approve=decision == "approve",
        note=note,
        preemptor=bool(preemptor),
    )
    _reg, listing = registrations.get(session, reg.id)
    return RedirectResponse(f"/exchange/listings/{listing.code}", status_code=303)


@router.get("/exchange/console")
def console(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    """The institution's console: listings to review, registrations to qualify, deposits to match, lots."""
    require(actor, perm.CONSOLE)
    page = query.console(session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size)
    extra: dict[str, Any] = {"base": "/exchange/console"}
    if not wants_partial(request):
        extra["pending"] = (
            registrations.pending(session, actor=actor) if can(actor, perm.REGISTRATION_REVIEW) else []
        )
        extra["held"] = statements.held(session)
        extra["live"] = bidding.live_lots(session, actor=actor)
    return render_list(
        request,
        actor,
        "exchange/console.html",
        "exchange/_listings.html",
        page,
        filters,
        **extra,
        **_choices(),
    )


@router.get("/exchange/console/listings.xlsx")
def console_export(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    require(actor, perm.EXPORT)
    rows = (
        (
            x.code,
            x.title,
            class_label(x.asset_class),
            listings.STATUS_LABELS.get(x.status, x.status),
            x.region,
            x.seller_name,
            x.start_fen / 100,
            x.appraisal_fen / 100,
            x.deposit_fen / 100,
            x.disclosure_end.isoformat() if x.disclosure_end else "",
            format_local(x.auction_start) if x.auction_start else "",
            x.attempt,
        )
        for x in query.iter_console(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("挂牌项目", EXPORT_HEADERS, rows), "exchange-listings.xlsx")


@router.get("/exchange/console/new")
def new_form(request: Request, actor: CurrentActor, asset_class: str = "vehicle") -> Response:
    require(actor, perm.LISTING_EDIT)
    rb = book.load()
    chosen = rb.classes.get(asset_class) or next(iter(rb.classes.values()))
    return render(request, "exchange/new.html", actor, chosen=chosen, **_choices())


@router.post("/exchange/console/new")
async def new_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    data = {k: str(v) for k, v in form.items() if not k.startswith("f_") and k != "csrf_token"}
    fields: dict[str, Any] = {k[2:]: str(v) for k, v in form.items() if k.startswith("f_") and str(v).strip()}
    if "items" in fields:
        fields["items"] = _items(fields["items"])
    listing = listings.create(
        session, actor=actor, data=validate(ListingIn, {**data, "fields": fields}, code="exchange.invalid")
    )
    return RedirectResponse(f"/exchange/listings/{listing.code}", status_code=303)


def _items(text: str) -> list[dict[str, Any]]:
    """``名称*数量`` per line, e.g. ``数控机床*3``."""
    out: list[dict[str, Any]] = []
    for line in text.splitlines():
        name, _, qty = line.strip().partition("*")
        if name.strip():
            out.append({"name": name.strip(), "quantity": qty.strip() or "1"})
    return out
