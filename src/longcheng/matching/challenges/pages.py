"""Pages of 揭榜挂帅: the public board (no login), a challenge's page with the click-through
agreement, the gated details (by URL too) and the proposal form."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import can
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.matching import permissions as perm
from longcheng.matching.capabilities import service as capabilities
from longcheng.matching.challenges import service
from longcheng.matching.challenges.api import challenge_json
from longcheng.matching.challenges.models import ChallengeStatus
from longcheng.matching.challenges.schemas import ProposalIn

router = APIRouter(include_in_schema=False)


@router.get("/matching/challenges")
def board_page(
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    status: str = "",
    field: str = "",
    top_ten: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    chosen = ChallengeStatus(status) if status in ChallengeStatus.__members__ else None
    filters = service.BoardFilter(
        status=chosen, field=field[:40] or None, top_ten=bool(top_ten), q=q.strip()[:100]
    )
    page = max(1, min(page, 10_000))
    rows, total = service.board(session, filters=filters, page=page, page_size=20)
    return render(
        request,
        "matching/board.html",
        actor,
        rows=[challenge_json(c, actor) for c in rows],
        total=total,
        page=page,
        filters={"status": status, "field": field, "top_ten": top_ten, "q": q},
        fields=service.fields(),
        statuses=list(ChallengeStatus),
    )


@router.get("/matching/challenges/{code}")
def challenge_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    challenge = service.get(session, code=code)
    opened = actor is not None and (
        service.is_insider(challenge, actor)
        or service.has_accepted(session, challenge=challenge, actor=actor)
    )
    return render(
        request,
        "matching/challenge.html",
        actor,
        c=challenge_json(challenge, actor),
        details=challenge.details if opened else None,
        may_solve=actor is not None and can(actor, perm.CHALLENGE_SOLVE),
        insider=actor is not None and service.is_insider(challenge, actor),
        proposals=service.proposals(session, actor=actor, code=code) if actor else [],
        matches=capabilities.for_challenge(session, actor=actor, code=code, top=5)
        if actor is not None and service.is_insider(challenge, actor)
        else [],
    )


@router.get("/matching/challenges/{code}/details")
def details_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    challenge = service.read_details(session, actor=actor, code=code)
    return render(
        request, "matching/details.html", actor, c=challenge_json(challenge, actor), details=challenge.details
    )


@router.post("/matching/challenges/{code}/agreement")
def accept_submit(
    code: str, session: DbSession, actor: CurrentActor, version: Annotated[int, Form()]
) -> Response:
    service.accept_agreement(session, actor=actor, code=code, version=version)
    return RedirectResponse(f"/matching/challenges/{code}#details", status_code=303)


@router.post("/matching/challenges/{code}/proposals")
def proposal_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    title: Annotated[str, Form()],
    approach: Annotated[str, Form()],
    solver_name: Annotated[str, Form()] = "",
) -> Response:
    data = validate(
        ProposalIn,
        {"title": title, "approach": approach, "solver_name": solver_name},
        code="matching.invalid",
    )
    service.submit_proposal(session, actor=actor, code=code, data=data)
    return RedirectResponse(f"/matching/challenges/{code}#proposals", status_code=303)
