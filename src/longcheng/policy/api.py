"""JSON API of the policy module under ``/api/v1/policy``; each route calls one service function.

This file holds the library, the calculator and 政策一键查 (``/clauses``, ``/evaluate``,
``/orgs/{uscc}``) and the prefix and tag every policy router shares; the sub-domains' routes
are in ``runs/api.py``, ``inbox/api.py``, ``awards/api.py`` and ``inputs/api.py``.
Money goes out as decimal strings of yuan (``"180000.00"``) and, where useful, integer fen.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from fastapi import APIRouter

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.policy import service
from longcheng.policy.engine.periods import Period, parse_period
from longcheng.policy.schemas import (
    ClauseList,
    EvaluateRequest,
    ExplanationRead,
    GuideRead,
    LookupRead,
    OrgHits,
)

API_PREFIX = "/api/v1/policy"
API_TAGS: list[str | Enum] = ["policy 政策一键查 · 精准推送 · 免申即享"]
router = APIRouter(prefix=API_PREFIX, tags=API_TAGS)


@router.get("/clauses", response_model=ClauseList)
def list_clauses(actor: CurrentActor, pack: str | None = None) -> dict[str, Any]:
    return service.list_clauses(actor=actor, pack_id=pack)


@router.get("/clauses/{clause_id}/guide", response_model=GuideRead)
def clause_guide(clause_id: str, actor: CurrentActor, period: str | None = None) -> dict[str, Any]:
    pack = service.get_pack()
    at = parse_period(period) if period else Period(service.default_year(pack))
    return service.clause_guide(actor=actor, clause_id=clause_id, period=at)


@router.post("/evaluate", response_model=ExplanationRead)
def evaluate(body: dict[str, Any], actor: CurrentActor) -> dict[str, Any]:
    """One clause on typed inputs: the explanation with ``amount`` (yuan) and ``brackets``."""
    data = validate(EvaluateRequest, body, code="policy.invalid")
    pack = service.get_pack(data.pack)
    period = parse_period(data.period) if data.period else Period(data.year or service.default_year(pack))
    return service.evaluate(
        actor=actor,
        clause_id=data.clause,
        period=period,
        inputs=data.inputs,
        reading=data.reading,
        pack_id=data.pack,
    )


@router.get("/orgs", response_model=OrgHits)
def find_orgs(q: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Firms to look up, by part of their name or their USCC (at most 20)."""
    return {"items": service.find_orgs(session, actor=actor, q=q[:100])}


@router.get("/orgs/{uscc}", response_model=LookupRead)
def lookup(uscc: str, session: DbSession, actor: CurrentActor, year: str | None = None) -> dict[str, Any]:
    """政策一键查: every clause the firm qualifies for this year, with amount and explanation."""
    return service.lookup(session, actor=actor, uscc=uscc, year=year)
