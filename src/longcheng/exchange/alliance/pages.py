"""The alliance rulebook page (versions with their diffs, the rules in force, members' overrides),
the fee statement of an institution (佣金结算单) with its XLSX export, and the alliance portal
reached through a member (``/exchange/portal/<code>`` or ``?inst=<code>``) under its branding."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.listing import PageArgs, Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import fees, service
from longcheng.exchange.alliance import permissions as perm
from longcheng.exchange.alliance.schemas import ProfileIn
from longcheng.exchange.charter import terms
from longcheng.exchange.charter.diff import value_zh
from longcheng.exchange.listings import query
from longcheng.exchange.listings import service as listings
from longcheng.exchange.listings.views import class_label
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS
from longcheng.exchange.schemas import ListingFilter

router = APIRouter(include_in_schema=False)
ListingDep = Annotated[ListingFilter, Depends()]


@router.get("/exchange/alliance/rulebook")
def alliance_rulebook(request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """The alliance's one rulebook in Chinese (no login): in force, history, overrides, bounds."""
    version, rules = service.in_force(session)
    insts = parties.institutions(session)
    return render(
        request,
        "exchange/alliance_rulebook.html",
        actor,
        version=version,
        rules=rules,
        classes=book.load().classes,
        labels=RULE_LABELS,
        versions=service.versions(session),
        charter=terms.load(),
        zh=value_zh,
        overrides={i.name: service.overrides_of(session, i) for i in insts},
    )


@router.get("/exchange/alliance/fees")
def fees_page(
    request: Request, session: DbSession, actor: CurrentActor, paging: Paging, inst: str = "", q: str = ""
) -> Response:
    """One institution's fee statement (an operator its own; the secretariat and supervisor any)."""
    chosen, page, total = fees.statement(
        session, actor=actor, institution_code=inst, q=q, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "exchange/alliance_fees.html",
        "exchange/_alliance_fees_table.html",
        page,
        {"inst": chosen.code, "q": q},
        inst=chosen,
        total=total,
        institutions=[(i.code, i.name) for i in parties.institutions(session)],
        pick_institution=actor.role in (Role.admin, Role.auditor),
        due=fees.due(session, actor=actor) if can(actor, perm.FEES_CHARGE) else [],
    )


@router.get("/exchange/alliance/fees.xlsx")
def fees_export(
    request: Request, session: DbSession, actor: CurrentActor, inst: str = "", q: str = ""
) -> Response:
    rows = fees.statement_rows(session, actor=actor, institution_code=inst, q=q, limit=export_limit(request))
    return xlsx_response(
        write_xlsx("佣金结算单", fees.STATEMENT_HEADERS, rows), "exchange-fee-statement.xlsx"
    )


@router.post("/exchange/alliance/fees/charge")
def fees_charge(session: DbSession, actor: CurrentActor) -> Response:
    """Charge every 成交 lot not yet charged (own institution's; the secretariat all)."""
    fees.charge_due(session, actor=actor)
    return RedirectResponse("/exchange/alliance/fees", status_code=303)


def _member_portal(
    request: Request,
    session: Session,
    actor: Actor | None,
    filters: ListingFilter,
    paging: PageArgs,
    code: str,
) -> Response:
    inst = parties.institution_by_code(session, code) if code else None
    page = query.public(session, filters=filters, page=paging.page, page_size=paging.page_size)
    return render_list(
        request,
        actor,
        "exchange/alliance_portal.html",
        "exchange/_listings.html",
        page,
        filters,
        base=f"/exchange/portal/{inst.code}" if inst else "/exchange/portal",
        inst=inst,
        profile=service.profile_of(session, inst) if inst else None,
        members=[(i, service.profile_of(session, i)) for i in parties.institutions(session)],
        may_edit=inst is not None and service.may_edit_profile(session, actor, inst),
        classes=[(c.code, c.label) for c in book.load().classes.values()],
        statuses=[(k, v) for k, v in listings.STATUS_LABELS.items() if k in listings.PUBLIC_STATUSES],
        class_label=class_label,
        status_label=listings.STATUS_LABELS,
    )


@router.get("/exchange/portal")
def portal(
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    filters: ListingDep,
    paging: Paging,
    inst: str = "",
) -> Response:
    """The alliance portal: every member's listings; ``?inst=`` heads it with that member's branding."""
    return _member_portal(request, session, actor, filters, paging, inst)


@router.get("/exchange/portal/{code}")
def member_portal(
    code: str, request: Request, session: DbSession, actor: ActorOrNone, filters: ListingDep, paging: Paging
) -> Response:
    """The alliance portal reached through one member: its name, colour, contact and intro."""
    return _member_portal(request, session, actor, filters, paging, code)


@router.post("/exchange/portal/{code}/profile")
def profile_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    portal_title: Annotated[str, Form()] = "",
    brand_color: Annotated[str, Form()] = "",
    contact: Annotated[str, Form()] = "",
    intro: Annotated[str, Form()] = "",
) -> Response:
    raw = {"portal_title": portal_title, "brand_color": brand_color, "contact": contact, "intro": intro}
    data = validate(ProfileIn, raw, code="exchange.alliance.invalid")
    service.update_profile(session, actor=actor, institution_code=code, data=data.model_dump())
    return RedirectResponse(f"/exchange/portal/{code}", status_code=303)
