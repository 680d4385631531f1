"""JSON API of ledger corrections: a returned payable's bank account (finance)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.grants.ledger import service
from longcheng.grants.ledger.schemas import AccountIn

router = APIRouter(prefix="/api/v1/grants", tags=["grants 兑现一网办"])


class CorrectedRead(BaseModel):
    reference: str
    payee_account_masked: str
    payee_bank: str
    state: str


@router.post("/payables/{reference}/account", response_model=CorrectedRead)
def correct_account(reference: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> Any:
    data = validate(AccountIn, body, code="grants.invalid")
    return service.correct_account(session, actor=actor, reference=reference, data=data)
