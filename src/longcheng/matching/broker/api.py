"""JSON API and pages of the broker's desk under ``/api/v1/matching/broker`` and ``/matching/broker``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, BeforeValidator, Field
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import ListQuery, export_limit, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.matching import export
from longcheng.matching import permissions as perm
from longcheng.matching.broker import service
from longcheng.matching.broker.models import DECISIONS, OUTCOMES, Pair
from longcheng.matching.challenges.schemas import parse_budget

router = APIRouter(prefix="/api/v1/matching/broker", tags=["matching 揭榜挂帅"])
pages = APIRouter(include_in_schema=False)


class DecisionIn(BaseModel):
    accept: bool


class OutcomeIn(BaseModel):
    outcome: str = Field(max_length=20)
    contract_amount: Annotated[
        int | None, BeforeValidator(lambda v: parse_budget(v) if v not in (None, "") else None)
    ] = None


class PairRead(BaseModel):
    """A suggested pair, the broker's decision and the outcome (contract amount in fen)."""

    id: int
    challenge: str
    capability: str
    score: float
    why: list[str]
    decision: str
    outcome: str
    contract_fen: int | None


class CountRead(BaseModel):
    count: int


def pair_json(pair: Pair, challenge: str = "", capability: str = "") -> dict[str, Any]:
    return {
        "id": pair.id,
        "challenge": challenge,
        "capability": capability,
        "score": round(pair.score, 3),
        "why": [w for w in pair.why.split("\n") if w],
        "decision": DECISIONS[pair.decision],
        "outcome": OUTCOMES[pair.outcome],
        "contract_fen": pair.contract_fen,
    }


@router.post("/suggest", response_model=CountRead)
def suggest(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return {"count": service.suggest(session, actor=actor)}


@router.get("/pairs", response_model=list[PairRead])
def listing(session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [pair_json(p, c.title, k.title) for p, c, k in service.pairs(session, actor=actor)]


@router.post("/pairs/{pair_id}/decision", response_model=PairRead)
def decide(pair_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(DecisionIn, body, code="matching.invalid")
    return pair_json(service.decide(session, actor=actor, pair_id=pair_id, accept=data.accept))


@router.post("/pairs/{pair_id}/introduction", response_model=CountRead)
def introduce(pair_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return {"count": service.introduce(session, actor=actor, pair_id=pair_id)}


@router.post("/pairs/{pair_id}/outcome", response_model=PairRead)
def advance(pair_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(OutcomeIn, body, code="matching.invalid")
    pair = service.advance(
        session, actor=actor, pair_id=pair_id, outcome=data.outcome, contract_fen=data.contract_amount
    )
    return pair_json(pair)


def _filters(decision: str, outcome: str, q: str) -> service.PairFilter:
    return service.PairFilter(decision=decision[:20], outcome=outcome[:20], q=q.strip()[:100])


@pages.get("/matching/broker")
def desk(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    decision: str = "",
    outcome: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    """Suggested pairs (filters, paging, export), accept/dismiss, introductions, outcomes."""
    require(actor, perm.CHALLENGE_MANAGE)
    page = max(1, min(page, 10_000))
    found, total = service.pair_page(
        session, actor=actor, filters=_filters(decision, outcome, q), page=page, page_size=20
    )
    rows = [(pair_json(p, c.title, k.title), p, c, k) for p, c, k in found]
    return render(
        request,
        "matching/broker.html",
        actor,
        rows=rows,
        outcomes=OUTCOMES,
        decisions=DECISIONS,
        total=total,
        page=page,
        f={"decision": decision, "outcome": outcome, "q": q},
        listing=ListQuery.of(request),
    )


@pages.get("/matching/broker/export.xlsx")
def desk_export(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    decision: str = "",
    outcome: str = "",
    q: str = "",
) -> Response:
    rows = service.pairs(
        session, actor=actor, filters=_filters(decision, outcome, q), limit=export_limit(request)
    )
    return xlsx_response(export.pairs_xlsx(rows), "broker-pairs.xlsx")


@pages.post("/matching/broker/suggest")
def desk_suggest(session: DbSession, actor: CurrentActor) -> Response:
    service.suggest(session, actor=actor)
    return RedirectResponse("/matching/broker", status_code=303)


@pages.post("/matching/broker/pairs/{pair_id}")
def desk_act(
    pair_id: int,
    session: DbSession,
    actor: CurrentActor,
    action: Annotated[str, Form()],
    outcome: Annotated[str, Form()] = "",
    contract_amount: Annotated[str, Form()] = "",
) -> Response:
    if action in ("accept", "dismiss"):
        service.decide(session, actor=actor, pair_id=pair_id, accept=action == "accept")
    elif action == "introduce":
        service.introduce(session, actor=actor, pair_id=pair_id)
    else:
        data = validate(
            OutcomeIn, {"outcome": outcome, "contract_amount": contract_amount}, code="matching.invalid"
        )
        service.advance(
            session, actor=actor, pair_id=pair_id, outcome=data.outcome, contract_fen=data.contract_amount
        )
    return RedirectResponse("/matching/broker", status_code=303)
