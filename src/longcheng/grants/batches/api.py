"""JSON API of payables and payment batches under ``/api/v1/grants``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.listing import xlsx_response
from longcheng.core.openapi import XLSX, Page, file_download
from longcheng.core.tabular import cell_text, iter_rows
from longcheng.core.validation import validate
from longcheng.grants.batches import service as batches
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.models import Payable, PaymentBatch

router = APIRouter(prefix="/api/v1/grants", tags=["grants 兑现一网办"])
FilterDep = Annotated[payments.PayableFilter, Depends()]


class DirectPayableIn(BaseModel):
    programme_code: str
    fiscal_year: int = Field(ge=2000, le=2100)
    payee_name: str = Field(min_length=1, max_length=200)
    payee_account_token: str = Field(min_length=10, max_length=300)
    payee_bank: str = Field(min_length=1, max_length=120)
    amount_fen: int = Field(gt=0)
    currency: str = "CNY"
    source_kind: str = Field(min_length=1, max_length=40)
    source_ref: str = Field(min_length=1, max_length=80)
    idempotency_key: str = Field(min_length=1, max_length=120)
    memo: str = Field(default="", max_length=300)


class PayableRead(BaseModel):
    id: int
    reference: str
    payee_name: str
    payee_account_masked: str
    payee_bank: str
    amount_fen: int
    currency: str
    source_kind: str
    source_ref: str
    state: str
    state_label: str


class BatchRead(BaseModel):
    id: int
    number: str
    state: str
    state_label: str
    count: int
    total_fen: int
    first_approver: str
    second_approver: str


class BatchIn(BaseModel):
    payable_ids: list[int] | None = None


class ProblemRead(BaseModel):
    line: int
    reference: str
    message: str


class ReturnRead(BaseModel):
    paid: int
    returned: int
    ignored: int
    unmatched: list[ProblemRead]


def payable_json(p: Payable) -> dict[str, Any]:
    return {k: getattr(p, k) for k in PayableRead.model_fields}


def batch_json(b: PaymentBatch) -> dict[str, Any]:
    return {k: getattr(b, k) for k in BatchRead.model_fields}


@router.post("/payables", status_code=201, response_model=PayableRead)
def add_payable(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(DirectPayableIn, body, code="grants.invalid")
    payable_id = payments.add_direct_payable(session, actor=actor, **data.model_dump())
    payable = session.get(Payable, payable_id)
    assert payable is not None
    return payable_json(payable)


@router.get("/payables", response_model=Page[PayableRead])
def list_payables(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = payments.list_payables(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [payable_json(p) for p in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.post("/batches", status_code=201, response_model=BatchRead)
def create_batch(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(BatchIn, body, code="grants.invalid")
    return batch_json(batches.create_batch(session, actor=actor, payable_ids=data.payable_ids))


@router.post("/batches/{batch_id}/approve", response_model=BatchRead)
def approve(batch_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return batch_json(batches.approve(session, actor=actor, batch_id=batch_id))


@router.get("/batches/{batch_id}/bank.xlsx", response_class=Response, responses=file_download(XLSX))
def bank_file(batch_id: int, session: DbSession, actor: CurrentActor) -> Response:
    content = batches.export_xlsx(session, actor=actor, batch_id=batch_id)
    return xlsx_response(content, f"bank-batch-{batch_id}.xlsx")


def read_return(request: Request, upload: UploadFile) -> list[tuple[int, dict[str, str]]]:
    max_bytes = state_of(request).settings.max_upload_bytes
    with uploaded_file(request, upload) as path:
        return [
            (line, {k: cell_text(v) for k, v in cells.items()})
            for line, cells in iter_rows(path, max_bytes=max_bytes)
        ]


@router.post("/batches/{batch_id}/return", response_model=ReturnRead)
def bank_return(
    batch_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
) -> dict[str, Any]:
    report = batches.apply_return(session, actor=actor, batch_id=batch_id, rows=read_return(request, file))
    return {
        "paid": report.paid,
        "returned": report.returned,
        "ignored": report.ignored,
        "unmatched": [
            {"line": u.line, "reference": u.reference, "message": u.message} for u in report.unmatched
        ],
    }
