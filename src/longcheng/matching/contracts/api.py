"""JSON API of 揭榜合同 under ``/api/v1/matching/challenges/{code}/contract``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy.orm import Session

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.matching.contracts import service
from longcheng.matching.contracts.models import MILESTONE_STATES, Contract

router = APIRouter(prefix="/api/v1/matching/challenges", tags=["matching 揭榜挂帅"])


class MilestoneRead(BaseModel):
    seq: int
    title: str
    due_on: str
    amount_fen: int
    state: str
    payment: str


class ContractRead(BaseModel):
    """The contract: total in fen and the milestones with their state."""

    amount_fen: int
    milestones: list[MilestoneRead]


def contract_json(session: Session, code: str, contract: Contract) -> dict[str, Any]:
    return {
        "amount_fen": contract.amount_fen,
        "milestones": [
            {
                "seq": m.seq,
                "title": m.title,
                "due_on": m.due_on.isoformat(),
                "amount_fen": m.amount_fen,
                "state": MILESTONE_STATES[m.state],
                "payment": service.payment_label(session, code=code, milestone=m),
            }
            for m in contract.milestones
        ],
    }


@router.post("/{code}/contract", status_code=201, response_model=ContractRead)
def create(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(service.ContractIn, body, code="matching.invalid")
    return contract_json(session, code, service.create(session, actor=actor, code=code, data=data))


@router.get("/{code}/contract", response_model=ContractRead)
def read(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return contract_json(session, code, service.get(session, actor=actor, code=code))


@router.post("/{code}/contract/milestones/{seq}/acceptance", response_model=ContractRead)
def accept(code: str, seq: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    service.accept(session, actor=actor, code=code, seq=seq)
    return contract_json(session, code, service.get(session, actor=actor, code=code))
