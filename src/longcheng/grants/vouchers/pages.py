"""Pages of innovation vouchers: the list (search, filters, paging, XLSX) and the providers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.grants.vouchers import views
from longcheng.grants.vouchers.models import CATEGORIES, VOUCHER_STATES
from longcheng.grants.vouchers.schemas import VoucherFilter

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[VoucherFilter, Depends()]
HEADERS = ("券号", "企业", "统一社会信用代码", "券面金额（元）", "用途", "有效期至", "状态", "服务合同")


@router.get("/grants/vouchers")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = views.list_vouchers(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "grants/vouchers.html",
        "grants/_vouchers_table.html",
        result,
        filters,
        states=list(VOUCHER_STATES.items()),
        purposes=list(CATEGORIES.items()),
        categories=CATEGORIES,
        providers=views.providers(session, actor=actor),
    )


@router.get("/grants/vouchers.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            v.code,
            v.firm_name,
            v.firm_uscc,
            f"{v.amount_fen / 100:.2f}",
            CATEGORIES.get(v.purpose, v.purpose),
            v.valid_until.isoformat(),
            v.state_label,
            v.contract_ref,
        ]
        for v in views.iter_vouchers(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("创新券", HEADERS, rows), "grants-vouchers.xlsx")
