"""JSON API of 揭榜挂帅 under ``/api/v1/matching/challenges``.

The board and a challenge's public summary need no login; the details need the accepted
agreement (``403 matching.agreement_required`` otherwise, by URL or API alike).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from longcheng.core.actors import Actor
from longcheng.core.clock import format_local
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.openapi import Page
from longcheng.core.validation import validate
from longcheng.matching.challenges import service
from longcheng.matching.challenges.models import Challenge, ChallengeStatus, IpTerms, Proposal, ProposalStatus
from longcheng.matching.challenges.schemas import AcceptIn, ChallengeIn, ProposalIn

router = APIRouter(prefix="/api/v1/matching/challenges", tags=["matching 揭榜挂帅"])
INVALID = "matching.invalid"


class ChallengeRead(BaseModel):
    """A challenge's public summary (the seeker hidden when anonymous)."""

    code: str
    title: str
    field: str
    summary: str
    trl_current: int
    trl_target: int
    budget_fen: int
    budget_yuan: str
    currency: str
    deadline: str
    ip_terms: str
    ip_terms_label: str
    seeker: str
    status: str
    status_label: str
    top_ten: bool
    agreement_version: int
    agreement_text: str


class ChallengeDetails(ChallengeRead):
    """The public summary plus the gated details."""

    details: str


class AcceptanceRead(BaseModel):
    user: str
    version: int
    accepted_at: str


class ProposalRead(BaseModel):
    id: int
    title: str
    solver: str
    status: str
    status_label: str
    submitted_at: str


def challenge_json(challenge: Challenge, actor: Actor | None, *, revealed: bool = False) -> dict[str, Any]:
    status = service.status_of(challenge)
    return {
        "code": challenge.code,
        "title": challenge.title,
        "field": challenge.field,
        "summary": challenge.summary,
        "trl_current": challenge.trl_current,
        "trl_target": challenge.trl_target,
        "budget_fen": challenge.budget_fen,
        "budget_yuan": f"{challenge.budget_fen / 100:.2f}",
        "currency": challenge.currency,
        "deadline": format_local(challenge.deadline),
        "ip_terms": challenge.ip_terms,
        "ip_terms_label": IpTerms(challenge.ip_terms).label,
        "seeker": service.seeker_label(challenge, actor, revealed=revealed),
        "status": status.value,
        "status_label": status.label,
        "top_ten": challenge.top_ten,
        "agreement_version": challenge.agreement_version,
        "agreement_text": challenge.agreement_text,
    }


def proposal_json(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "solver": p.solver_name,
        "status": p.status,
        "status_label": ProposalStatus(p.status).label,
        "submitted_at": format_local(p.submitted_at),
    }


@router.get("", response_model=Page[ChallengeRead])
def board(
    session: DbSession,
    actor: ActorOrNone,
    status: Annotated[ChallengeStatus | None, Query()] = None,
    field: Annotated[str | None, Query(max_length=40)] = None,
    top_ten: bool = False,
    q: Annotated[str, Query(max_length=100)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    filters = service.BoardFilter(status=status, field=field, top_ten=top_ten, q=q.strip())
    rows, total = service.board(session, filters=filters, page=page, page_size=page_size)
    return {
        "items": [challenge_json(c, actor) for c in rows],
        "total": total,
        "page": page,
        "page_size": page_size,
    }


@router.post("", status_code=201, response_model=ChallengeRead)
def publish(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ChallengeIn, body, code=INVALID)
    return challenge_json(service.publish(session, actor=actor, data=data), actor)


@router.get("/{code}", response_model=ChallengeRead)
def summary(code: str, session: DbSession, actor: ActorOrNone) -> dict[str, Any]:
    challenge = service.get(session, code=code)
    revealed = service.revealed_to(session, challenge=challenge, actor=actor)
    return challenge_json(challenge, actor, revealed=revealed)


@router.put("/{code}", response_model=ChallengeRead)
def edit(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Edit a challenge before proposals close (the seeker or a manager); every change is audited."""
    data = validate(ChallengeIn, body, code=INVALID)
    return challenge_json(service.update(session, actor=actor, code=code, data=data), actor)


@router.get("/{code}/details", response_model=ChallengeDetails)
def details(code: str, session: DbSession, actor: ActorOrNone) -> dict[str, Any]:
    challenge = service.read_details(session, actor=actor, code=code)
    revealed = service.revealed_to(session, challenge=challenge, actor=actor)
    return challenge_json(challenge, actor, revealed=revealed) | {"details": challenge.details}


@router.post("/{code}/agreement", status_code=201, response_model=AcceptanceRead)
def accept(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(AcceptIn, body, code=INVALID)
    row = service.accept_agreement(session, actor=actor, code=code, version=data.version)
    return {"user": row.user_label, "version": row.version, "accepted_at": format_local(row.accepted_at)}


@router.get("/{code}/agreement/log", response_model=list[AcceptanceRead])
def acceptance_log(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    rows = service.acceptances(session, actor=actor, code=code)
    return [
        {"user": r.user_label, "version": r.version, "accepted_at": format_local(r.accepted_at)} for r in rows
    ]


@router.post("/{code}/proposals", status_code=201, response_model=ProposalRead)
def propose(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(ProposalIn, body, code=INVALID)
    return proposal_json(service.submit_proposal(session, actor=actor, code=code, data=data))


@router.get("/{code}/proposals", response_model=list[ProposalRead])
def list_proposals(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [proposal_json(p) for p in service.proposals(session, actor=actor, code=code)]
