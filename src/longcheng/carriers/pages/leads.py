"""Officers' pages of investor leads (招商线索): the list (search, filters, paging, XLSX), the
create and edit form, and a lead's page with its matched carriers and why, "转为项目" in one
action, and its change log."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.carriers import permissions as perm
from longcheng.carriers.models import LAND_USES, LEAD_STATUSES, NEED_KINDS, Lead
from longcheng.carriers.schemas import LeadFilter, LeadIn
from longcheng.carriers.service import leads as service
from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.clock import format_local
from longcheng.core.errors import LongchengError
from longcheng.core.exporting import write_xlsx
from longcheng.core.forms import form_values, refusal
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.registry import reference

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[LeadFilter, Depends()]
INVALID = "carriers.invalid"
FIELDS = (
    "investor", "industry", "district", "need_kind", "need_area_m2", "need_land_use", "need_power_kva",
    "budget_wan", "timeline", "jobs", "lat", "lon", "note",
)  # fmt: skip
HEADERS = (
    "线索编号", "投资方", "行业", "意向区", "需求类型", "需求面积（平方米）", "用地性质",
    "用电需求（千伏安）", "预算（万元）", "时间计划", "预计就业（人）", "负责人", "状态", "项目编号",
    "登记时间",
)  # fmt: skip


def choices() -> dict[str, Any]:
    return {
        "districts": [(d.code, d.name) for d in reference.districts()],
        "need_kinds": list(NEED_KINDS.items()),
        "land_uses": list(LAND_USES.items()),
        "statuses": list(LEAD_STATUSES.items()),
    }


def _wan(fen: int | None) -> str:
    return "" if fen is None else f"{fen / 1_000_000:.2f}"


def _dec(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def lead_view(lead: Lead) -> dict[str, Any]:
    """A lead as pages and the export show it (codes as words, money in 万元)."""
    return {
        "code": lead.code,
        "investor": lead.investor,
        "industry": lead.industry,
        "district_name": reference.place_name(lead.district),
        "need_kind": NEED_KINDS.get(lead.need_kind, lead.need_kind),
        "need_area_m2": lead.need_area_m2,
        "need_land_use": LAND_USES.get(lead.need_land_use or "", ""),
        "need_power_kva": lead.need_power_kva,
        "budget_wan": _wan(lead.budget_fen),
        "timeline": lead.timeline,
        "jobs": lead.jobs,
        "owner": lead.owner_label,
        "owner_id": lead.owner_id,
        "status": LEAD_STATUSES.get(lead.status, lead.status),
        "project_code": lead.project_code,
        "coordinates": f"{_dec(lead.lat)}, {_dec(lead.lon)}" if lead.lat is not None else "",
        "note": lead.note,
        "created_at": lead.created_at,
    }


def _values_of(lead: Lead) -> dict[str, Any]:
    return {
        "investor": lead.investor,
        "industry": lead.industry,
        "district": lead.district,
        "need_kind": lead.need_kind,
        "need_area_m2": lead.need_area_m2,
        "need_land_use": lead.need_land_use or "",
        "need_power_kva": lead.need_power_kva or "",
        "budget_wan": _wan(lead.budget_fen),
        "timeline": lead.timeline,
        "jobs": "" if lead.jobs is None else lead.jobs,
        "lat": _dec(lead.lat),
        "lon": _dec(lead.lon),
        "note": lead.note,
    }


@router.get("/carriers/leads")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = service.list_leads(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "carriers/leads.html",
        "carriers/_leads_table.html",
        result,
        filters,
        rows=[lead_view(lead) for lead in result.items],
        **choices(),
    )


@router.get("/carriers/leads/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            v["code"],
            v["investor"],
            v["industry"],
            v["district_name"],
            v["need_kind"],
            v["need_area_m2"],
            v["need_land_use"],
            v["need_power_kva"],
            v["budget_wan"],
            v["timeline"],
            v["jobs"],
            v["owner"],
            v["status"],
            v["project_code"] or "",
            format_local(v["created_at"]),
        ]  # fmt: skip
        for v in map(
            lead_view, service.iter_leads(session, actor=actor, filters=filters, limit=export_limit(request))
        )
    )
    return xlsx_response(write_xlsx("招商线索", HEADERS, rows), "carriers-leads.xlsx")


def _form(
    request: Request, actor: Actor, lead: Lead | None, *, status: int = 200, **context: Any
) -> Response:
    context.setdefault("errors", {})
    context.setdefault("message", "")
    return render(request, "carriers/lead_form.html", actor, status=status, lead=lead, **choices(), **context)


@router.get("/carriers/leads/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.LEAD_EDIT)
    return _form(request, actor, None, values={"need_kind": "building"})


@router.post("/carriers/leads/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.LEAD_EDIT)
    values = form_values(await request.form(), FIELDS)
    try:
        lead = service.create(session, actor=actor, data=validate(LeadIn, values, code=INVALID))
    except LongchengError as exc:
        return _form(request, actor, None, values=values, **refusal(session, exc))
    return RedirectResponse(f"/carriers/leads/{lead.code}", status_code=303)


@router.get("/carriers/leads/{code}/edit")
def edit_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.LEAD_EDIT)
    lead = service.get(session, actor=actor, code=code)
    return _form(request, actor, lead, values=_values_of(lead))


@router.post("/carriers/leads/{code}/edit")
async def edit_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.LEAD_EDIT)
    values = form_values(await request.form(), FIELDS)
    try:
        service.update(session, actor=actor, code=code, data=validate(LeadIn, values, code=INVALID))
    except LongchengError as exc:
        refused = refusal(session, exc)
        return _form(request, actor, service.get(session, actor=actor, code=code), values=values, **refused)
    return RedirectResponse(f"/carriers/leads/{code}", status_code=303)


def _detail(
    request: Request, session: DbSession, actor: Actor, code: str, *, status: int = 200, message: str = ""
) -> Response:
    lead = service.get(session, actor=actor, code=code)
    view = lead_view(lead)
    mine = lead.owner_id == actor.id or can(actor, "users.manage")
    return render(
        request,
        "carriers/lead.html",
        actor,
        status=status,
        lead=view,
        fits=[] if lead.project_code else service.match(session, actor=actor, code=code),
        may_change=mine and can(actor, perm.LEAD_EDIT) and not lead.project_code,
        history=service.history(session, actor=actor, code=code),
        message=message,
        done=request.query_params.get("done", ""),
    )


@router.get("/carriers/leads/{code}")
def detail_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return _detail(request, session, actor, code)


@router.post("/carriers/leads/{code}/convert")
def convert_submit(
    code: str, request: Request, session: DbSession, actor: CurrentActor, carrier: Annotated[str, Form()] = ""
) -> Response:
    try:
        service.convert(session, actor=actor, code=code, carrier_code=carrier or None)
    except LongchengError as exc:
        session.rollback()
        return _detail(request, session, actor, code, status=exc.status_code, message=exc.message_text)
    return RedirectResponse(f"/carriers/leads/{code}?done=converted", status_code=303)
