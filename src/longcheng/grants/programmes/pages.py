"""Pages of programmes: the list (search, filters, paging, XLSX) and one programme's guide,
windows and budget."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcheng.core.auth import can
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.grants import permissions as perm
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service
from longcheng.grants.programmes.models import PAYMENT_MODES

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
    )
