"""Audit pages: the sampled items (search, filters, paging, XLSX) and the recent samples."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.errors import LongchengError
from longcheng.core.exporting import write_xlsx
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.validation import validate
from longcheng.grants import permissions as perm
from longcheng.grants.audit import service, views
from longcheng.grants.audit.models import RESULTS
from longcheng.grants.audit.schemas import DrawIn, ItemFilter
from longcheng.grants.programmes import service as programmes

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ItemFilter, Depends()]
HEADERS = ("抽查批次", "申报编号", "收款人", "已支付（元）", "核查结论", "核查发现", "追回金额（元）")


@router.get("/grants/audit")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = views.list_items(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "grants/audit.html",
        "grants/_audit_table.html",
        result,
        filters,
        results=list(RESULTS.items()),
        samples=service.samples(session, actor=actor)[:20],
    )


@router.get("/grants/audit.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            str(i.sample_id),
            i.source_ref,
            i.payee_name,
            f"{i.paid_fen / 100:.2f}",
            i.result_label,
            i.finding,
            f"{i.clawback_fen / 100:.2f}",
        ]
        for i in views.iter_items(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("审计抽查", HEADERS, rows), "grants-audit.xlsx")


DRAW_FIELDS = ("programme", "fiscal_year", "size", "seed")


def _draw_choices(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    found = programmes.iter_programmes(session, actor=actor, filters=programmes.ProgrammeFilter(), limit=500)
    return {"programmes": [(p.code, p.name) for p in found]}


@router.get("/grants/audit/draw")
def draw_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.AUDIT_SAMPLE)
    values = {"fiscal_year": local_today().year, "size": 10, "seed": secrets.randbelow(2**31)}
    return render_form(
        request, actor, "grants/audit_draw.html", values=values, **_draw_choices(session, actor)
    )


@router.post("/grants/audit/draw")
async def draw_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """抽取审计样本 from a form; the seed is shown and recorded so the draw can be repeated."""
    values = form_values(await request.form(), DRAW_FIELDS)
    try:
        sample = service.draw(session, actor=actor, data=validate(DrawIn, values, code="grants.invalid"))
    except LongchengError as exc:
        return render_refused(
            request,
            session,
            actor,
            "grants/audit_draw.html",
            exc,
            values=values,
            **_draw_choices(session, actor),
        )
    return RedirectResponse(f"/grants/audit?sample={sample.id}", status_code=303)
