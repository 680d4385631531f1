"""Audit pages: the sampled items (search, filters, paging, XLSX) and the recent samples."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.grants.audit import service, views
from longcheng.grants.audit.models import RESULTS
from longcheng.grants.audit.schemas import ItemFilter

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
