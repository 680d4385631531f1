"""JSON API of programmes, windows and budgets under ``/api/v1/grants``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.openapi import Page
from longcheng.core.validation import validate
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service
from longcheng.grants.programmes.models import Programme, Window
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn

router = APIRouter(prefix="/api/v1/grants", tags=["grants 兑现一网办"])
FilterDep = Annotated[service.ProgrammeFilter, Depends()]


class ProgrammeRead(BaseModel):
    code: str
    name: str
    department: str
    contact: str
    policy_clause: str | None
    payment_mode: str


class WindowRead(BaseModel):
    id: int
    code: str
    name: str
    fiscal_year: int
    opens_at: str
    closes_at: str
    state: str


class BalancesRead(BaseModel):
    fiscal_year: int
    budget_fen: int
    available_fen: int
    committed_fen: int
    payable_fen: int
    paid_fen: int
    clawed_back_fen: int


class BudgetIn(BaseModel):
    amount_fen: int


def programme_json(p: Programme) -> dict[str, Any]:
    return {k: getattr(p, k) for k in ProgrammeRead.model_fields}


def window_json(w: Window) -> dict[str, Any]:
    return {
        "id": w.id,
        "code": w.code,
        "name": w.name,
        "fiscal_year": w.fiscal_year,
        "opens_at": w.opens_at.isoformat(),
        "closes_at": w.closes_at.isoformat(),
        "state": service.window_state(w),
    }


@router.get("/programmes", response_model=Page[ProgrammeRead])
def list_programmes(
    session: DbSession, actor: CurrentActor, filters: FilterDep, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    result = service.list_programmes(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [programme_json(p) for p in result.items],
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
    }


@router.post("/programmes", status_code=201, response_model=ProgrammeRead)
def create_programme(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ProgrammeIn, body, code="grants.invalid")
    return programme_json(service.create(session, actor=actor, data=data))


@router.get("/programmes/{code}", response_model=ProgrammeRead)
def get_programme(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return programme_json(service.get(session, actor=actor, code=code))


@router.post("/programmes/{code}/windows", status_code=201, response_model=WindowRead)
def add_window(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(WindowIn, body, code="grants.invalid")
    return window_json(service.add_window(session, actor=actor, programme_code=code, data=data))


@router.get("/programmes/{code}/windows", response_model=list[WindowRead])
def windows(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    programme = service.get(session, actor=actor, code=code)
    return [window_json(w) for w in service.windows_of(session, actor=actor, programme=programme)]


@router.put("/programmes/{code}/budgets/{fiscal_year}", response_model=BalancesRead)
def set_budget(
    code: str, fiscal_year: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(BudgetIn, body, code="grants.invalid")
    ledger.set_budget(
        session, actor=actor, programme_code=code, fiscal_year=fiscal_year, amount_fen=data.amount_fen
    )
    return balances(code, fiscal_year, session, actor)


@router.get("/programmes/{code}/budgets/{fiscal_year}", response_model=BalancesRead)
def balances(code: str, fiscal_year: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    programme = service.get(session, actor=actor, code=code)
    b = ledger.balances(session, actor=actor, programme_id=programme.id, fiscal_year=fiscal_year)
    return {k: getattr(b, k) for k in BalancesRead.model_fields}
