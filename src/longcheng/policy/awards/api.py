"""JSON API of 免申即享 under ``/api/v1/policy/awards``: the list and the officers' decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.policy.api import API_PREFIX, API_TAGS
from longcheng.policy.awards import service as award_service
from longcheng.policy.runs.api import result_json
from longcheng.policy.schemas import (
    AwardDecision,
    AwardFilter,
    AwardList,
    DecidedRead,
)

router = APIRouter(prefix=API_PREFIX, tags=API_TAGS)


AwardFilterDep = Annotated[AwardFilter, Depends()]


@router.get("/awards", response_model=AwardList)
def awards(
    session: DbSession, actor: CurrentActor, filters: AwardFilterDep, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    """免申即享: the latest run's list under a clause with each firm's confirmation status."""
    listing = award_service.award_list(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "clause": listing.clause.id,
        "run": listing.run.id if listing.run else None,
        "counts": listing.counts,
        "total": listing.total,
        "items": [result_json(r.result) | {"status": r.status} for r in listing.items],
    }


@router.post("/awards/decisions", response_model=DecidedRead)
def decide(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, int]:
    data = validate(AwardDecision, body, code="policy.invalid")
    return {"decided": award_service.decide(session, actor=actor, data=data)}
