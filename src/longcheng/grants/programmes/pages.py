"""Pages of programmes: the list (search, filters, paging, XLSX) and one programme's guide,
windows and budget."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from longcheng.core.auth import can, require
from longcheng.core.clock import local_today, to_local
from longcheng.core.errors import Conflict, ValidationFailed
from longcheng.core.exporting import write_xlsx
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.grants import permissions as perm
from longcheng.grants.engine.stages import machine
from longcheng.grants.ledger import service as ledger
from longcheng.grants.notices import service as notices
from longcheng.grants.programmes import service
from longcheng.grants.programmes.models import PAYMENT_MODES, Programme, Window
from longcheng.grants.programmes.schemas import (
    ProgrammeIn,
    WindowIn,
    checklist_from_lines,
    checklist_lines,
    field_lines,
    fields_from_lines,
)

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[service.ProgrammeFilter, Depends()]
HEADERS = ("专项编号", "专项名称", "主管部门", "政策条款", "支付方式", "联系方式")


@router.get("/grants")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = service.list_programmes(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request, actor, "grants/programmes.html", "grants/_programmes_table.html", result, filters
    )


@router.get("/grants/programmes.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            p.code,
            p.name,
            p.department,
            p.policy_clause or "",
            PAYMENT_MODES.get(p.payment_mode, ""),
            p.contact,
        ]
        for p in service.iter_programmes(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("专项", HEADERS, rows), "grants-programmes.xlsx")


PROGRAMME_FIELDS = (
    "code",
    "name",
    "department",
    "guide",
    "contact",
    "policy_clause",
    "payment_mode",
    "workflow",
)
WORKFLOWS = {"standard": "标准流程（含复审、专家评审）", "simple": "简易流程（初审后财务审核）"}
SLA_STAGES = ("submitted", "first_review", "second_review", "expert_review", "financial_review", "publicised")


def _programme_choices() -> dict[str, Any]:
    return {"payment_modes": list(PAYMENT_MODES.items()), "workflows": list(WORKFLOWS.items())}


@router.get("/grants/programmes/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.PROGRAMME_MANAGE)
    return render_form(request, actor, "grants/programme_form.html", programme=None, **_programme_choices())


@router.post("/grants/programmes/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), PROGRAMME_FIELDS)
    try:
        programme = service.create(
            session, actor=actor, data=validate(ProgrammeIn, values, code="grants.invalid")
        )
    except (ValidationFailed, Conflict) as exc:
        return render_refused(
            request,
            session,
            actor,
            "grants/programme_form.html",
            exc,
            values=values,
            programme=None,
            **_programme_choices(),
        )
    return RedirectResponse(f"/grants/programmes/{programme.code}", status_code=303)


@router.get("/grants/programmes/{code}/edit")
def edit_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.PROGRAMME_MANAGE)
    programme = service.get(session, actor=actor, code=code)
    values = {k: getattr(programme, k) or "" for k in PROGRAMME_FIELDS}
    return render_form(
        request,
        actor,
        "grants/programme_form.html",
        values=values,
        programme=programme,
        **_programme_choices(),
    )


@router.post("/grants/programmes/{code}/edit")
async def update_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    programme = service.get(session, actor=actor, code=code)
    values = form_values(await request.form(), PROGRAMME_FIELDS) | {"code": programme.code}
    try:
        service.update(
            session, actor=actor, code=code, data=validate(ProgrammeIn, values, code="grants.invalid")
        )
    except ValidationFailed as exc:
        return render_refused(
            request,
            session,
            actor,
            "grants/programme_form.html",
            exc,
            values=values,
            programme=programme,
            **_programme_choices(),
        )
    return RedirectResponse(f"/grants/programmes/{programme.code}", status_code=303)


def _window_choices(programme: Programme, window: Window | None) -> dict[str, Any]:
    labels = machine().labels
    return {"programme": programme, "window": window, "sla_stages": [(s, labels[s]) for s in SLA_STAGES]}


def _window_body(form: FormData) -> tuple[dict[str, object], dict[str, object]]:
    """(what the form shows again, the WindowIn body); a bad checklist or field line is refused."""
    keys = ("code", "name", "fiscal_year", "opens_at", "closes_at", "checklist_text", "fields_text")
    values: dict[str, object] = {k: str(form.get(k) or "").strip() for k in keys}
    sla = {s: str(form.get(f"sla_{s}") or "").strip() for s in SLA_STAGES}
    values["sla"] = sla
    body: dict[str, object] = {
        k: values[k] for k in ("code", "name", "fiscal_year", "opens_at", "closes_at") if values[k]
    }
    errors: dict[str, str] = {}
    for key, name, parse in (
        ("checklist", "checklist_text", checklist_from_lines),
        ("form_fields", "fields_text", fields_from_lines),
    ):
        try:
            body[key] = parse(str(values[name]))
        except ValueError as exc:
            errors[key] = str(exc)
    bad = [s for s, v in sla.items() if v and not v.isdigit()]
    if bad:
        errors["sla"] = "办理时限须填写整数（工作日）"
    body["sla"] = {s: int(v) for s, v in sla.items() if v.isdigit()}
    if errors:
        raise ValidationFailed(
            "输入有误：" + "；".join(errors.values()), code="grants.invalid", details=errors
        )
    return values, body


def _window_values(window: Window) -> dict[str, object]:
    return {
        "code": window.code,
        "name": window.name,
        "fiscal_year": window.fiscal_year,
        "opens_at": to_local(window.opens_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "closes_at": to_local(window.closes_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "checklist_text": checklist_lines(json.loads(window.checklist)),
        "fields_text": field_lines(json.loads(window.form_fields)),
        "sla": {k: str(v) for k, v in json.loads(window.sla).items()},
    }


@router.get("/grants/programmes/{code}/windows/new")
def new_window_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.PROGRAMME_MANAGE)
    programme = service.get(session, actor=actor, code=code)
    values = {"fiscal_year": local_today().year, "sla": {"submitted": "3", "publicised": "5"}}
    return render_form(
        request, actor, "grants/window_form.html", values=values, **_window_choices(programme, None)
    )


@router.post("/grants/programmes/{code}/windows/new")
async def create_window_page(
    code: str, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    programme = service.get(session, actor=actor, code=code)
    form = await request.form()
    values: dict[str, object] = {}
    try:
        values, body = _window_body(form)
        service.add_window(
            session, actor=actor, programme_code=code, data=validate(WindowIn, body, code="grants.invalid")
        )
    except (ValidationFailed, Conflict) as exc:
        return render_refused(
            request,
            session,
            actor,
            "grants/window_form.html",
            exc,
            values=values or dict(form),
            **_window_choices(programme, None),
        )
    return RedirectResponse(f"/grants/programmes/{programme.code}", status_code=303)


@router.get("/grants/windows/{window_id}/edit")
def edit_window_page(window_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.PROGRAMME_MANAGE)
    window, programme = service.get_window(session, actor=actor, window_id=window_id)
    return render_form(
        request,
        actor,
        "grants/window_form.html",
        values=_window_values(window),
        **_window_choices(programme, window),
    )


@router.post("/grants/windows/{window_id}/edit")
async def update_window_page(
    window_id: int, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    window, programme = service.get_window(session, actor=actor, window_id=window_id)
    form = await request.form()
    values: dict[str, object] = {}
    try:
        values, body = _window_body(form)
        body["code"] = window.code
        data = validate(WindowIn, body, code="grants.invalid")
        service.update_window(session, actor=actor, window_id=window_id, data=data)
    except ValidationFailed as exc:
        return render_refused(
            request,
            session,
            actor,
            "grants/window_form.html",
            exc,
            values=values or dict(form),
            **_window_choices(programme, window),
        )
    return RedirectResponse(f"/grants/programmes/{programme.code}", status_code=303)


@router.get("/grants/programmes/{code}")
def detail_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    programme = service.get(session, actor=actor, code=code)
    windows = service.windows_of(session, actor=actor, programme=programme)
    budgets = []
    if can(actor, perm.LEDGER_READ):
        budgets = [
            ledger.balances(session, actor=actor, programme_id=programme.id, fiscal_year=y)
            for y in ledger.years_of(session, actor=actor, programme_id=programme.id)
        ]
    return render(
        request,
        "grants/programme.html",
        actor,
        programme=programme,
        windows=windows,
        budgets=budgets,
        window_state=service.window_state,
        window_states=service.WINDOW_STATES,
        subscribed=notices.is_subscribed(session, actor=actor, programme_id=programme.id),
    )
