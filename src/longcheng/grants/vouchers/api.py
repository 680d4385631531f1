"""JSON API of innovation vouchers and service providers under ``/api/v1/grants``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.openapi import Page
from longcheng.core.validation import validate
from longcheng.grants.vouchers import service, views
from longcheng.grants.vouchers.models import Provider, Voucher
from longcheng.grants.vouchers.schemas import IssueIn, ProviderIn, RedeemIn, VoucherFilter

router = APIRouter(prefix="/api/v1/grants", tags=["grants 兑现一网办"])
FilterDep = Annotated[VoucherFilter, Depends()]


class ProviderRead(BaseModel):
    uscc: str
    name: str
    category: str
    category_label: str
    account_masked: str
    bank_name: str
    state: str
    state_label: str


class VoucherRead(BaseModel):
    code: str
    fiscal_year: int
    firm_uscc: str
    firm_name: str
    amount_fen: int
    purpose: str
    valid_until: date
    state: str
    state_label: str
    contract_ref: str


class ProviderDecisionIn(BaseModel):
    approve: bool


class PayableRead(BaseModel):
    payable_id: int


def _provider(p: Provider) -> dict[str, Any]:
    return {k: getattr(p, k) for k in ProviderRead.model_fields}


def _voucher(v: Voucher) -> dict[str, Any]:
    return {k: getattr(v, k) for k in VoucherRead.model_fields}


@router.post("/providers", status_code=201, response_model=ProviderRead)
def register_provider(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ProviderIn, body, code="grants.invalid")
    return _provider(service.register_provider(session, actor=actor, data=data))


@router.get("/providers", response_model=list[ProviderRead])
def list_providers(session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [_provider(p) for p in views.providers(session, actor=actor)]


@router.post("/providers/{uscc}/decision", response_model=ProviderRead)
def decide_provider(
    uscc: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(ProviderDecisionIn, body, code="grants.invalid")
    return _provider(service.decide_provider(session, actor=actor, uscc=uscc, approve=data.approve))


@router.post("/vouchers", status_code=201, response_model=VoucherRead)
def issue(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(IssueIn, body, code="grants.invalid")
    return _voucher(service.issue(session, actor=actor, data=data))


@router.get("/vouchers", response_model=Page[VoucherRead])
def list_vouchers(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    found = views.list_vouchers(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [_voucher(v) for v in found.items],
        "total": found.total,
        "page": found.page,
        "page_size": found.page_size,
    }


@router.post("/vouchers/{code}/redeem", response_model=VoucherRead)
def redeem(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(RedeemIn, body, code="grants.invalid")
    return _voucher(service.redeem(session, actor=actor, code=code, data=data))


@router.post("/vouchers/{code}/claim", response_model=VoucherRead)
def claim(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return _voucher(service.claim(session, actor=actor, code=code))


@router.post("/vouchers/{code}/approve", response_model=PayableRead)
def approve(code: str, session: DbSession, actor: CurrentActor) -> dict[str, int]:
    return {"payable_id": service.approve_claim(session, actor=actor, code=code)}
