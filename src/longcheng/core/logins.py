"""Login sessions kept on the server (会话), so that a session can be listed and ended.

The browser's signed cookie holds only a random session key; the server keeps its SHA-256
with who, from where (IP, user agent), when it began, when it was last seen and when it ends.
A session ends on logout, when the user or an admin ends it, when the password changes and
when the user is deactivated; an ended session's cookie, even a copied one, opens nothing.
This module knows users only by id, so :mod:`longcheng.core.users` can end sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import USERS_MANAGE, can, require
from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime
from longcheng.core.errors import NotFound

TOUCH_EVERY = timedelta(minutes=5)
END_REASONS = {
    "logout": "退出登录",
    "ended": "手动结束",
    "password": "修改密码",
    "deactivated": "账户停用",
}


class LoginSession(Base):
    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ip: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str] = mapped_column(String(20), default="")

    @property
    def end_label(self) -> str:
        return END_REASONS.get(self.end_reason, self.end_reason)

    def audit_view(self) -> dict[str, object]:
        return {"user_id": self.user_id, "ip": self.ip, "user_agent": self.user_agent}


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


def start(
    session: Session, *, user_id: int, ip: str, user_agent: str, lifetime: timedelta
) -> tuple[LoginSession, str]:
    """Open a session after a successful login; returns it and the key for the cookie (shown once)."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    row = LoginSession(
        user_id=user_id,
        key_hash=digest(key),
        ip=ip[:45],
        user_agent=user_agent[:300],
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        end_reason="",
    )
    session.add(row)
    session.flush()
    return row, key


def resolve(session: Session, *, key: str, now: datetime | None = None) -> LoginSession | None:
    """The open, unexpired session behind a cookie key, or None."""
    now = now or utcnow()
    row = session.scalar(select(LoginSession).where(LoginSession.key_hash == digest(key)))
    if row is None or row.ended_at is not None or row.expires_at <= now:
        return None
    return row


def due_for_touch(row: LoginSession, now: datetime) -> bool:
    return now - row.last_seen_at >= TOUCH_EVERY


def touch(session: Session, *, login_id: int, ip: str, now: datetime) -> None:
    """Note the session was seen (not audited: it records use, not a change of state)."""
    session.execute(
        update(LoginSession).where(LoginSession.id == login_id).values(last_seen_at=now, ip=ip[:45])
    )


def list_for_user(session: Session, *, actor: Actor, user_id: int, limit: int = 50) -> list[LoginSession]:
    """A user's sessions, open ones first then the newest; one's own, or anyone's for admins."""
    if actor.id != user_id:
        require(actor, USERS_MANAGE)
    stmt = (
        select(LoginSession)
        .where(LoginSession.user_id == user_id)
        .order_by(LoginSession.ended_at.is_not(None), LoginSession.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def end(session: Session, *, actor: Actor, login_id: int, reason: str = "ended") -> LoginSession:
    """End one session (one's own, or anyone's for admins); ending an ended session is a no-op."""
    row = session.get(LoginSession, login_id)
    if row is None or (row.user_id != actor.id and not can(actor, USERS_MANAGE)):
        raise NotFound("会话不存在。", code="sessions.not_found")
    if row.ended_at is None:
        row.ended_at, row.end_reason = utcnow(), reason
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="auth.session_end",
            entity_type="user",
            entity_id=row.user_id,
            before=row.audit_view(),
            reason=END_REASONS.get(reason, reason),
        )
    return row


def end_all(session: Session, *, actor: Actor, user_id: int, reason: str, keep: int | None = None) -> int:
    """End every open session of a user (but ``keep``); the caller has checked the permission."""
    stmt = select(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
    rows = [r for r in session.scalars(stmt) if r.id != keep]
    now = utcnow()
    for row in rows:
        row.ended_at, row.end_reason = now, reason
    if rows:
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="auth.sessions_end",
            entity_type="user",
            entity_id=user_id,
            after={"ended": len(rows)},
            reason=END_REASONS.get(reason, reason),
        )
    return len(rows)
