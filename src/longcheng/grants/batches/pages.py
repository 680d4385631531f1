"""Finance pages: payables (search, filters, paging, XLSX), batches, approvals, bank files and returns."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.grants import permissions as perm
from longcheng.grants.batches import service as batches
from longcheng.grants.batches.api import read_return
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.models import PAYABLE_STATES, PaymentBatch

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[payments.PayableFilter, Depends()]
HEADERS = ("付款参考号", "收款人", "收款账号（脱敏）", "开户行", "金额（元）", "来源类型", "来源编号", "状态")


@router.get("/grants/finance")
def payables_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = payments.list_payables(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    recent = list(session.scalars(select(PaymentBatch).order_by(PaymentBatch.id.desc()).limit(20)))
    return render_list(
        request,
        actor,
        "grants/payables.html",
        "grants/_payables_table.html",
        result,
        filters,
        states=list(PAYABLE_STATES.items()),
        batches=recent,
    )


@router.get("/grants/finance/payables.xlsx")
def payables_export(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep
) -> Response:
    rows = (
        [
            p.reference,
            p.payee_name,
            p.payee_account_masked,
            p.payee_bank,
            f"{p.amount_fen / 100:.2f}",
            p.source_kind,
            p.source_ref,
            p.state_label,
        ]
        for p in payments.iter_payables(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("应付款", HEADERS, rows), "grants-payables.xlsx")


@router.post("/grants/finance/batches")
def create_batch(session: DbSession, actor: CurrentActor) -> Response:
    batch = batches.create_batch(session, actor=actor)
    return RedirectResponse(f"/grants/finance/batches/{batch.id}", status_code=303)


@router.get("/grants/finance/batches/{batch_id}")
def batch_page(batch_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    batch = batches.get(session, actor=actor, batch_id=batch_id)
    return render(
        request,
        "grants/batch.html",
        actor,
        batch=batch,
        payables=batches.payables_of(session, batch),
        report=None,
    )


@router.post("/grants/finance/batches/{batch_id}/approve")
def approve(batch_id: int, session: DbSession, actor: CurrentActor) -> Response:
    batches.approve(session, actor=actor, batch_id=batch_id)
    return RedirectResponse(f"/grants/finance/batches/{batch_id}", status_code=303)


@router.get("/grants/finance/batches/{batch_id}/bank.xlsx")
def bank_file(batch_id: int, session: DbSession, actor: CurrentActor) -> Response:
    return xlsx_response(
        batches.export_xlsx(session, actor=actor, batch_id=batch_id), f"bank-batch-{batch_id}.xlsx"
    )


@router.post("/grants/finance/batches/{batch_id}/return")
def bank_return(
    batch_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
) -> Response:
    require(actor, perm.BATCH_MANAGE)
    report = batches.apply_return(session, actor=actor, batch_id=batch_id, rows=read_return(request, file))
    batch = batches.get(session, actor=actor, batch_id=batch_id)
    return render(
        request,
        "grants/batch.html",
        actor,
        batch=batch,
        payables=batches.payables_of(session, batch),
        report=report,
    )
