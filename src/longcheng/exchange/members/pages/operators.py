"""The operators' member pages: list, export, detail, create and edit."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.errors import LongchengError
from longcheng.core.exporting import write_xlsx
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, query_model, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.members import query
from longcheng.exchange.members import service as members
from longcheng.exchange.members.schemas import MANDATE_STATE_LABELS, STATUS_LABELS, MemberFilter, MemberIn

router = APIRouter(include_in_schema=False)
MemberFilterDep = Annotated[MemberFilter, Depends(query_model(MemberFilter))]
FIELDS = ("name", "uscc", "status", "institution")


def _institutions(session: Session, actor: Actor) -> list[tuple[str, str]]:
    """The institutions an admin or auditor may pick from; an operator has its own only."""
    if actor.role is Role.operator:
        return []
    return [(i.code, i.name) for i in parties.institutions(session)]


@router.get("/exchange/members")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: MemberFilterDep, paging: Paging
) -> Response:
    """An institution's members (会员管理): search by name or USCC, filter by status, XLSX."""
    page = query.list_members(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "exchange/members/list.html",
        "exchange/members/_table.html",
        page,
        filters,
        counts=query.counts(session, page.items),
        statuses=list(STATUS_LABELS.items()),
        status_label=STATUS_LABELS,
        institutions=_institutions(session, actor),
    )


@router.get("/exchange/members/export.xlsx")
def export(request: Request, session: DbSession, actor: CurrentActor, filters: MemberFilterDep) -> Response:
    rows = query.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(write_xlsx("会员名录", query.EXPORT_HEADERS, rows), "exchange-members.xlsx")


def _form_context(session: Session, actor: Actor) -> dict[str, Any]:
    return {"statuses": list(STATUS_LABELS.items()), "institutions": _institutions(session, actor)}


@router.get("/exchange/members/new")
def new_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.MEMBER_MANAGE)
    return render_form(
        request,
        actor,
        "exchange/members/form.html",
        values={"status": "active"},
        member=None,
        **_form_context(session, actor),
    )


@router.post("/exchange/members/new")
async def create(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), FIELDS)
    try:
        data = validate(MemberIn, values, code="exchange.invalid")
        member = members.create_member(session, actor=actor, data=data)
    except LongchengError as exc:
        return render_refused(
            request,
            session,
            actor,
            "exchange/members/form.html",
            exc,
            values=values,
            member=None,
            **_form_context(session, actor),
        )
    return RedirectResponse(f"/exchange/members/{member.id}", status_code=303)


@router.get("/exchange/members/{member_id}")
def detail(member_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """A member: its logins (经办人), clients and mandates (revocable here), and what it acts in."""
    member = query.get_visible(session, actor=actor, member_id=member_id)
    return render(
        request,
        "exchange/members/detail.html",
        actor,
        member=member,
        operators=query.operators_of(session, member),
        mandates=[(m, b, members.mandate_state(m)) for m, b in query.mandates_of(session, member)],
        acted=query.activity(session, member),
        status_label=STATUS_LABELS,
        state_label=MANDATE_STATE_LABELS,
        listing_status=listings.STATUS_LABELS,
        reg_status=registrations.STATUS_LABELS,
        may_edit=can(actor, perm.MEMBER_MANAGE),
        may_revoke=can(actor, perm.MANDATE_REVOKE),
    )


@router.get("/exchange/members/{member_id}/edit")
def edit_page(member_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.MEMBER_MANAGE)
    member = query.get_visible(session, actor=actor, member_id=member_id)
    values = {"name": member.name, "uscc": member.uscc, "status": member.status}
    return render_form(
        request,
        actor,
        "exchange/members/form.html",
        values=values,
        member=member,
        **_form_context(session, actor),
    )


@router.post("/exchange/members/{member_id}/edit")
async def edit(member_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), FIELDS)
    member = query.get_visible(session, actor=actor, member_id=member_id)
    try:
        data = validate(MemberIn, values, code="exchange.invalid")
        members.update_member(session, actor=actor, member_id=member.id, data=data)
    except LongchengError as exc:
        return render_refused(
            request,
            session,
            actor,
            "exchange/members/form.html",
            exc,
            values=values,
            member=member,
            **_form_context(session, actor),
        )
    return RedirectResponse(f"/exchange/members/{member.id}", status_code=303)
