"""The shell of the site: login, logout, health check and the audit trail."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core import audit, changelog, checkpoints, logins, signin, users
from longcheng.core.auth import AUDIT_READ, require
from longcheng.core.clock import format_local
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession, client_key, current_login, state_of
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
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
    outcome = signin.authenticate(
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


def _audit_filter(
    who: str = "",
    what: str = "",
    entity_type: str = "",
    entity_id: str = "",
    since: date | None = None,
    until: date | None = None,
) -> audit.AuditFilter:
    return audit.AuditFilter(who, what, entity_type, entity_id, since, until)


AuditFilterDep = Annotated[audit.AuditFilter, Depends(_audit_filter)]


def _names(session: Session, records: list[audit.AuditRecord]) -> dict[tuple[str, str], str]:
    """Users named by their display names (records keep the id; people read the name)."""
    ids = {
        int(r.entity_id) for r in records if r.entity_type in ("user", "app_user") and r.entity_id.isdigit()
    }
    named = users.display_names(session, ids)
    return {(kind, str(i)): name for i, name in named.items() for kind in ("user", "app_user")}


@router.get("/audit")
def audit_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: AuditFilterDep,
    paging: Paging,
    verify: bool = False,
) -> Response:
    """操作痕迹：按操作人、操作、对象和日期筛选，分页，变更以中文显示；哈希链按需校验。"""
    require(actor, AUDIT_READ)
    result = audit.verify(session) if verify else None
    page = audit.search(session, filters=filters, page=paging.page, page_size=paging.page_size)
    names = _names(session, page.items)
    changes = [changelog.describe(r, entity_names=names) for r in page.items]
    return render_list(
        request,
        actor,
        "audit.html",
        "audit_results.html",
        page,
        filters,
        result=result,
        changes=changes,
        actors=audit.actors(session),
        modules=changelog.module_choices(),
    )


@router.get("/audit/export.xlsx")
def audit_export(
    request: Request, session: DbSession, actor: CurrentActor, filters: AuditFilterDep
) -> Response:
    """按当前筛选条件导出操作痕迹（中文列名；最多导出设置允许的行数）。"""
    require(actor, AUDIT_READ)
    page = audit.search(session, filters=filters, page=1, page_size=min(export_limit(request), 50_000))
    names = _names(session, page.items)
    rows = (_export_row(changelog.describe(r, entity_names=names), r) for r in page.items)
    content = write_xlsx("操作痕迹", AUDIT_HEADERS, rows)
    return xlsx_response(content, "audit.xlsx")


AUDIT_HEADERS = ["序号", "时间（北京时间）", "操作人", "操作", "操作代码", "对象", "变更", "原因"]


def _export_row(change: changelog.ChangeView, record: audit.AuditRecord) -> list[Cell]:
    lines = "；".join(f"{line.label}：{line.before} → {line.after}" for line in change.lines)
    return [
        change.seq,
        format_local(change.at),
        change.actor,
        change.action,
        record.action,
        change.entity,
        lines,
        change.reason,
    ]


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
