"""Pages of 揭榜挂帅: the public board (no login) and its export, the seeker's or officer's desk,
the publish and edit forms, a challenge's page with the click-through agreement, the gated
details (by URL too), the proposal form, shortlisting and selection, and the change log."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.clock import SHANGHAI
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.listing import ListQuery, export_limit, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.matching import export
from longcheng.matching import permissions as perm
from longcheng.matching.capabilities import service as capabilities
from longcheng.matching.challenges import service
from longcheng.matching.challenges.api import INVALID, challenge_json
from longcheng.matching.challenges.models import Challenge, ChallengeStatus, IpTerms, Proposal, ProposalStatus
from longcheng.matching.challenges.schemas import ChallengeIn, ProposalIn
from longcheng.matching.review import service as review

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
    filters = _filters(status, field, top_ten, q)
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
        listing=ListQuery.of(request),
    )


BOARD_FIELDS = ("title", "field", "summary", "details", "trl_current", "trl_target", "budget", "deadline")
FORM_FIELDS = (*BOARD_FIELDS, "ip_terms", "agreement_text", "seeker_name", "district")
CHECKBOXES = ("anonymous", "top_ten")


def _filters(status: str, field: str, top_ten: str, q: str) -> service.BoardFilter:
    chosen = ChallengeStatus(status) if status in ChallengeStatus.__members__ else None
    return service.BoardFilter(
        status=chosen, field=field[:40] or None, top_ten=bool(top_ten), q=q.strip()[:100]
    )


@router.get("/matching/challenges/export.xlsx")
def board_export(
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    status: str = "",
    field: str = "",
    top_ten: str = "",
    q: str = "",
    mine: str = "",
) -> Response:
    """The board (or, with ``mine``, the actor's desk) as filtered, one row per challenge."""
    rows = service.iter_export(
        session,
        actor=actor,
        filters=_filters(status, field, top_ten, q),
        limit=export_limit(request),
        managed_only=bool(mine) and actor is not None,
    )
    return xlsx_response(export.challenges_xlsx(rows, actor), "challenges.xlsx")


@router.get("/matching/challenges/mine")
def desk_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    status: str = "",
    field: str = "",
    q: str = "",
    page: int = 1,
) -> Response:
    """The seeker's (or officer's) challenges with their proposal counts."""
    page = max(1, min(page, 10_000))
    rows, total = service.managed(
        session, actor=actor, filters=_filters(status, field, "", q), page=page, page_size=20
    )
    return render(
        request,
        "matching/mine.html",
        actor,
        rows=[(challenge_json(c, actor), n) for c, n in rows],
        total=total,
        page=page,
        filters={"status": status, "field": field, "q": q},
        listing=ListQuery.of(request),
        fields=service.fields(),
        statuses=list(ChallengeStatus),
    )


def _choices(actor: Actor) -> dict[str, Any]:
    return {
        "fields": service.fields(),
        "ip_terms": [(t.value, t.label) for t in IpTerms],
        "manager": can(actor, perm.CHALLENGE_MANAGE),
        "enterprise": actor.role is Role.enterprise,
    }


async def _submitted(request: Request) -> dict[str, Any]:
    form = await request.form()
    values = form_values(form, FORM_FIELDS)
    values.update({name: form.get(name) == "1" for name in CHECKBOXES})
    return values


@router.get("/matching/challenges/new")
def new_form(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.CHALLENGE_PUBLISH)
    return render_form(
        request,
        actor,
        "matching/challenge_form.html",
        values={"trl_current": 3, "trl_target": 6},
        c=None,
        **_choices(actor),
    )


@router.post("/matching/challenges/new")
async def new_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = await _submitted(request)
    try:
        challenge = service.publish(session, actor=actor, data=validate(ChallengeIn, values, code=INVALID))
    except ValidationFailed as exc:
        return render_refused(
            request,
            session,
            actor,
            "matching/challenge_form.html",
            exc,
            values=values,
            c=None,
            **_choices(actor),
        )
    return RedirectResponse(f"/matching/challenges/{challenge.code}", status_code=303)


def _wan(fen: int) -> str:
    text = f"{Decimal(fen) / 1_000_000:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "万元"


def _current_values(challenge: Challenge) -> dict[str, Any]:
    return {
        "title": challenge.title,
        "field": challenge.field,
        "summary": challenge.summary,
        "details": challenge.details,
        "trl_current": challenge.trl_current,
        "trl_target": challenge.trl_target,
        "budget": _wan(challenge.budget_fen),
        "deadline": challenge.deadline.astimezone(SHANGHAI).strftime("%Y-%m-%dT%H:%M:%S"),
        "ip_terms": challenge.ip_terms,
        "agreement_text": challenge.agreement_text,
        "seeker_name": challenge.seeker_name,
        "district": challenge.district or "",
        "anonymous": challenge.anonymous,
        "top_ten": challenge.top_ten,
    }


@router.get("/matching/challenges/{code}/edit")
def edit_form(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    challenge = service.get(session, code=code)
    if not service.editable(challenge, actor):
        raise PermissionDenied("只有发榜方和管理人员可以在截止前修改榜单。", code="matching.forbidden")
    return render_form(
        request,
        actor,
        "matching/challenge_form.html",
        values=_current_values(challenge),
        c=challenge_json(challenge, actor),
        **_choices(actor),
    )


@router.post("/matching/challenges/{code}/edit")
async def edit_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = await _submitted(request)
    try:
        service.update(session, actor=actor, code=code, data=validate(ChallengeIn, values, code=INVALID))
    except ValidationFailed as exc:
        c = challenge_json(service.get(session, code=code), actor)
        return render_refused(
            request,
            session,
            actor,
            "matching/challenge_form.html",
            exc,
            values=values,
            c=c,
            **_choices(actor),
        )
    return RedirectResponse(f"/matching/challenges/{code}#changes", status_code=303)


@router.get("/matching/challenges/{code}")
def challenge_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    challenge = service.get(session, code=code)
    insider = actor is not None and service.is_insider(challenge, actor)
    opened = actor is not None and (
        insider or service.has_accepted(session, challenge=challenge, actor=actor)
    )
    revealed = service.revealed_to(session, challenge=challenge, actor=actor)
    mine = service.proposals(session, actor=actor, code=code) if actor else []
    return render(
        request,
        "matching/challenge.html",
        actor,
        c=challenge_json(challenge, actor, revealed=revealed),
        details=challenge.details if opened else None,
        may_solve=actor is not None and can(actor, perm.CHALLENGE_SOLVE),
        insider=insider,
        editable=service.editable(challenge, actor),
        proposals=[(p, ProposalStatus(p.status).label, _feedback(session, actor, code, p)) for p in mine],
        changes=service.changes(session, code=code),
        matches=capabilities.for_challenge(session, actor=actor, code=code, top=5)
        if insider and actor
        else [],
    )


def _feedback(session: Session, actor: Actor | None, code: str, p: Proposal) -> dict[str, Any] | None:
    if actor is None or p.status != ProposalStatus.not_selected.value:
        return None
    return review.feedback_for(session, actor=actor, code=code, proposal_id=p.id)


@router.post("/matching/challenges/{code}/shortlist")
async def shortlist_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    ids = [int(str(v)) for v in form.getlist("proposal_id") if str(v).isdigit()]
    review.shortlist(session, actor=actor, code=code, proposal_ids=ids)
    return RedirectResponse(f"/matching/challenges/{code}#proposals", status_code=303)


@router.post("/matching/challenges/{code}/selection")
def select_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    proposal_id: Annotated[int, Form()],
) -> Response:
    review.select(session, actor=actor, code=code, proposal_id=proposal_id)
    return RedirectResponse(f"/matching/challenges/{code}#proposals", status_code=303)


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
