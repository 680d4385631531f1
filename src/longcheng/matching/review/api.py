"""JSON API of proposal review under ``/api/v1/matching/challenges/{code}``: draw experts,
score (assigned experts), shortlist and select (seeker), read the structured feedback (solver)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import CleanMultiline, validate
from longcheng.matching.review import service

router = APIRouter(prefix="/api/v1/matching/challenges", tags=["matching 揭榜挂帅"])
INVALID = "matching.invalid"


class DrawIn(BaseModel):
    per_item: int = Field(default=3, ge=1, le=15)
    seed: int = Field(default=0, ge=0)


class ScoresIn(BaseModel):
    scores: dict[str, int]
    comment: CleanMultiline = Field(default="", max_length=2000)


class ShortlistIn(BaseModel):
    proposal_ids: list[int] = Field(min_length=1, max_length=200)


class ShortlistRead(BaseModel):
    shortlisted: list[int]


class SelectIn(BaseModel):
    proposal_id: int = Field(ge=1)
    comments: dict[int, CleanMultiline] = Field(default_factory=dict)


class DrawRead(BaseModel):
    """Experts drawn per proposal, and how many were excluded for a conflict of interest."""

    assigned: dict[str, list[str]]
    excluded: dict[str, int]
    short: dict[str, int]


class ScoreTotal(BaseModel):
    total: int


class FeedbackRead(BaseModel):
    """Structured feedback: mean score per criterion, the total, how many experts, the comment."""

    proposal: str
    status: str
    criteria: dict[str, str]
    total: str
    reviewers: int
    comment: str


class SelectRead(BaseModel):
    selected: int
    feedback_sent: int


@router.post("/{code}/experts", status_code=201, response_model=DrawRead)
def draw(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(DrawIn, body, code=INVALID)
    result = service.assign_experts(session, actor=actor, code=code, per_item=data.per_item, seed=data.seed)
    assigned: dict[str, list[str]] = {}
    for row in result.assigned:
        assigned.setdefault(row.ref, []).append(row.expert_name)
    return {"assigned": assigned, "excluded": result.excluded, "short": result.short}


@router.post("/{code}/proposals/{proposal_id}/scores", status_code=201, response_model=ScoreTotal)
def score(
    code: str, proposal_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(ScoresIn, body, code=INVALID)
    total = service.score_proposal(
        session, actor=actor, code=code, proposal_id=proposal_id, scores=data.scores, comment=data.comment
    )
    return {"total": total}


@router.post("/{code}/shortlist", response_model=ShortlistRead)
def shortlist(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ShortlistIn, body, code=INVALID)
    rows = service.shortlist(session, actor=actor, code=code, proposal_ids=data.proposal_ids)
    return {"shortlisted": [p.id for p in rows]}


@router.post("/{code}/selection", response_model=SelectRead)
def choose(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(SelectIn, body, code=INVALID)
    sent = service.select(
        session, actor=actor, code=code, proposal_id=data.proposal_id, comments=data.comments
    )
    return {"selected": data.proposal_id, "feedback_sent": len(sent)}


@router.get("/{code}/proposals/{proposal_id}/feedback", response_model=FeedbackRead)
def feedback(code: str, proposal_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return service.feedback_for(session, actor=actor, code=code, proposal_id=proposal_id)
