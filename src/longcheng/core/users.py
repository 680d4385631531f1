"""Users, their roles and API tokens (the password check at login is :mod:`longcheng.core.signin`).

Passwords are hashed with argon2; API tokens are random, shown once, stored as SHA-256.
Service functions follow the house shape: ``session`` first, keyword-only arguments, no commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from longcheng.core import audit, hooks, logins
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import USERS_MANAGE, hash_password, require, verify_password
from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime
from longcheng.core.errors import Conflict, NotFound, ValidationFailed

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,64}$")
MIN_PASSWORD = 8


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    org_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    district: Mapped[str | None] = mapped_column(String(20))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def to_actor(self) -> Actor:
        return Actor(
            id=self.id,
            username=self.username,
            role=Role(self.role),
            display_name=self.display_name,
            org_uscc=self.org_uscc,
            district=self.district,
        )

    def usable(self, now: datetime) -> bool:
        """Active and not locked out: only then do its sessions and API tokens open anything."""
        return self.is_active and (self.locked_until is None or self.locked_until <= now)

    def audit_view(self) -> dict[str, object]:
        return {
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "org_uscc": self.org_uscc,
            "district": self.district,
            "is_active": self.is_active,
        }


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


def _parse_role(value: Role | str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


def _district_problem(district: str | None) -> str | None:
    """A district must be one the gazetteer knows (when one is wired); blank means city-wide."""
    known = dict(hooks.districts())
    if district and known and district not in known:
        return "所属区无效，可选：" + "、".join(known.values())
    return None


def _validate_new_user(
    username: str, password: str, role: Role | str, org_uscc: str | None, district: str | None = None
) -> Role:
    """Check every field at once (so a form shows all its mistakes) and return the parsed role."""
    errors: dict[str, str] = {}
    if (problem := _district_problem(district)) is not None:
        errors["district"] = problem
    if not USERNAME_RE.match(username):
        errors["username"] = "用户名须为 3–64 位字母、数字或 _.@-"
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"密码至少 {MIN_PASSWORD} 位"
    parsed = _parse_role(role)
    if parsed is None:
        errors["role"] = "角色无效，可选：" + "、".join(f"{r.value}（{r.label}）" for r in Role)
    elif parsed is Role.enterprise and not org_uscc:
        errors["org_uscc"] = "企业用户必须绑定统一社会信用代码"
    if errors or parsed is None:
        raise ValidationFailed("用户信息有误。", code="users.invalid", details=errors)
    return parsed


def create(
    session: Session,
    *,
    actor: Actor,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
    org_uscc: str | None = None,
    district: str | None = None,
    right: str = USERS_MANAGE,
) -> User:
    """Create a user (admins; a firm's own colleagues through ``core.colleagues`` with its
    ``right``); the username must be new and the role one of :class:`Role`.

    Every edge (form, API, CLI) passes the role as given, so an unknown role is refused here
    with the same 422 everywhere.
    """
    require(actor, right)
    district = district or None
    parsed_role = _validate_new_user(username, password, role, org_uscc, district)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"用户名“{username}”已存在。", code="users.duplicate")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=parsed_role.value,
        org_uscc=org_uscc,
        district=district,
        is_active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="users.create",
        entity_type="user",
        entity_id=user.id,
        after=user.audit_view(),
    )
    return user


def get_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def create_token(session: Session, *, actor: Actor, user_id: int, name: str) -> str:
    """Issue an API token for a user (admins for anyone, users for themselves); shown once."""
    if actor.id != user_id:
        require(actor, USERS_MANAGE)
    if session.get(User, user_id) is None:
        raise NotFound("用户不存在。", code="users.not_found")
    token = "lc_" + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, token_hash=_token_digest(token))
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="users.token_create",
        entity_type="user",
        entity_id=user_id,
        after={"token_id": row.id, "name": name},
    )
    return token


def user_for_token(session: Session, token: str, *, now: datetime | None = None) -> User | None:
    """The user behind an unrevoked token, if active and not locked out."""
    now = now or utcnow()
    stmt = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == _token_digest(token),
            ApiToken.revoked_at.is_(None),
            User.is_active.is_(True),
            or_(User.locked_until.is_(None), User.locked_until <= now),
        )
    )
    return session.scalar(stmt)


def list_users(session: Session, *, actor: Actor) -> list[User]:
    require(actor, USERS_MANAGE)
    return list(session.scalars(select(User).order_by(User.id)))


def get(session: Session, *, actor: Actor, user_id: int) -> User:
    """One user: oneself, or anyone for admins."""
    if actor.id != user_id:
        require(actor, USERS_MANAGE)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。", code="users.not_found")
    return user


def list_tokens(session: Session, *, actor: Actor, user_id: int) -> list[ApiToken]:
    """A user's API tokens (only their hashes are stored), newest first."""
    get(session, actor=actor, user_id=user_id)
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def revoke_token(session: Session, *, actor: Actor, user_id: int, token_id: int) -> ApiToken:
    """Revoke one API token of a user (one's own, or anyone's for admins); it stops working at once."""
    get(session, actor=actor, user_id=user_id)
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound("API 令牌不存在。", code="users.token_not_found")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="users.token_revoke",
            entity_type="user",
            entity_id=user_id,
            before={"token_id": row.id, "name": row.name},
        )
    return row


def _revoke_all_tokens(session: Session, user_id: int) -> int:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def deactivate(
    session: Session, *, actor: Actor, user_id: int, reason: str = "", right: str = USERS_MANAGE
) -> User:
    """Stop a user (admins; a firm its colleagues through ``core.colleagues``): their sessions end
    and their API tokens are revoked for good.

    Reactivating lets the user log in again, with new tokens; an admin cannot stop themselves,
    so a site always keeps one admin who can undo it.
    """
    require(actor, right)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在。", code="users.not_found")
    if actor.id == user_id:
        raise Conflict("不能停用自己的账户。", code="users.self_deactivate")
    before = user.audit_view()
    user.is_active = False
    revoked = _revoke_all_tokens(session, user_id)
    logins.end_all(session, actor=actor, user_id=user_id, reason="deactivated")
    audit.record(
        session,
        actor=actor,
        action="users.deactivate",
        entity_type="user",
        entity_id=user_id,
        before=before,
        after={**user.audit_view(), "tokens_revoked": revoked},
        reason=reason,
    )
    return user


def reactivate(session: Session, *, actor: Actor, user_id: int, reason: str = "") -> User:
    """Let a stopped (or locked-out) user log in again (admins only); lockout counters reset."""
    require(actor, USERS_MANAGE)
    user = get(session, actor=actor, user_id=user_id)
    before = {**user.audit_view(), "locked_until": user.locked_until}
    user.is_active, user.failed_logins, user.locked_until = True, 0, None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="users.reactivate",
        entity_type="user",
        entity_id=user_id,
        before=before,
        after={**user.audit_view(), "locked_until": None},
        reason=reason,
    )
    return user


def change_password(
    session: Session,
    *,
    actor: Actor,
    user_id: int,
    new_password: str,
    current_password: str | None = None,
    keep_login: int | None = None,
) -> User:
    """Set a new password and end the user's other sessions (all but ``keep_login``).

    A user changing their own password must give the current one; an admin may reset anyone's.
    """
    user = get(session, actor=actor, user_id=user_id)
    if actor.id == user_id and not verify_password(user.password_hash, current_password or ""):
        raise ValidationFailed(
            "当前密码不正确，密码未修改。",
            code="users.wrong_password",
            details={"current_password": "当前密码不正确"},
        )
    if len(new_password) < MIN_PASSWORD:
        raise ValidationFailed(
            "新密码太短。", code="users.invalid", details={"new_password": f"密码至少 {MIN_PASSWORD} 位"}
        )
    user.password_hash = hash_password(new_password)
    logins.end_all(session, actor=actor, user_id=user_id, reason="password", keep=keep_login)
    audit.record(session, actor=actor, action="users.password_change", entity_type="user", entity_id=user_id)
    return user


def display_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Display names (or usernames) of users by id, for change logs."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name, User.username).where(User.id.in_(wanted)))
    return {uid: display or username for uid, display, username in rows}
