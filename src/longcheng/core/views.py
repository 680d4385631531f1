"""The shell of the site: login, logout, health check and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.responses import Response

from longcheng.core import audit, checkpoints, logins, users
from longcheng.core.auth import AUDIT_READ, require
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession, client_key, current_login, state_of
from longcheng.core.templating import render

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def healthz(session: DbSession) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}


def _safe_next(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") else "/"


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """Browsers ask for ``/favicon.ico`` whatever the page says: send them to the icon."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/login")
def login_page(request: Request, actor: ActorOrNone, next: str = "/") -> Response:
    return render(request, "login.html", actor, next=_safe_next(next), username="", error="", error_code="")


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    st = state_of(request)
    st.login_limiter.hit(client_key(request))
    outcome = users.authenticate(
        session,
        username=username.strip(),
        password=password,
        max_failures=st.settings.login_max_failures,
        lockout=timedelta(seconds=st.settings.login_lockout_seconds),
    )
    if outcome.user is None:
        return render(
            request,
            "login.html",
            None,
            status=401,
            next=_safe_next(next),
            username=username,
            error=outcome.message,
            error_code=outcome.code,
        )
    _, key = logins.start(
        session,
        user_id=outcome.user.id,
        ip=client_key(request),
        user_agent=request.headers.get("user-agent", ""),
        lifetime=timedelta(seconds=st.settings.session_max_age_seconds),
    )
    csrf = request.session.get("csrf")
    request.session.clear()  # a new key on every login: no session fixation
    request.session.update(sid=key, csrf=csrf)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """End the server-side session, so the cookie (and any copy of it) opens nothing any more."""
    login = current_login(request, session)
    if login is not None and actor is not None:
        logins.end(session, actor=actor, login_id=login.id, reason="logout")
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/audit")
def audit_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, AUDIT_READ)
    result = audit.verify(session)
    records = audit.recent(session, limit=200)
    return render(request, "audit.html", actor, result=result, records=records)


class VerifyRead(BaseModel):
    """The audit chain's check: ``first_bad_seq`` names the first record altered or missing."""

    ok: bool
    checked: int
    first_bad_seq: int | None
    problem: str


class CheckpointRead(BaseModel):
    """One signed checkpoint, checkable with nothing but its public key."""

    format: str
    seq: int
    hash: str
    signed_at: str
    key_id: str
    public_key: str
    signature: str


@router.get("/api/v1/audit/verify")
def audit_verify_api(session: DbSession, actor: CurrentActor) -> VerifyRead:
    require(actor, AUDIT_READ)
    r = audit.verify(session)
    return VerifyRead(ok=r.ok, checked=r.checked, first_bad_seq=r.first_bad_seq, problem=r.problem)


@router.get("/api/v1/audit/checkpoints")
def audit_checkpoints_api(request: Request, session: DbSession, actor: CurrentActor) -> list[CheckpointRead]:
    """Every signed checkpoint with the public key, for anyone entitled to read the audit trail to keep."""
    require(actor, AUDIT_READ)
    pub = checkpoints.public_key(checkpoints.key_path(state_of(request).settings))
    return [
        CheckpointRead.model_validate(checkpoints.as_dict(cp, pub)) for cp in checkpoints.list_all(session)
    ]
