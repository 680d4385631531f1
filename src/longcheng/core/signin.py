"""The password check at login, with lockout after repeated wrong passwords.

An unknown or stopped user costs the same argon2 check as a real one, so the answer's timing
does not tell who has an account; the hash to check against is made on first use, not at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.auth import hash_password, needs_rehash, verify_password
from longcheng.core.clock import utcnow
from longcheng.core.users import User, get_by_username


@dataclass(frozen=True)
class LoginOutcome:
    """The result of a login attempt; failures still change state (counters) to be committed."""

    user: User | None
    code: str = ""
    message: str = ""


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    max_failures: int,
    lockout: timedelta,
    now: datetime | None = None,
) -> LoginOutcome:
    """Check a password; lock the account after ``max_failures`` wrong ones in a row."""
    now = now or utcnow()
    user = get_by_username(session, username)
    if user is None or not user.is_active:
        verify_password(_dummy_hash(), password)  # same cost as a real check
        return LoginOutcome(None, "auth.invalid", "用户名或密码错误。")
    if user.locked_until is not None and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60))
        return LoginOutcome(None, "auth.locked", f"密码错误次数过多，账户已锁定，请 {minutes} 分钟后再试。")
    if not verify_password(user.password_hash, password):
        return _fail(session, user, max_failures, lockout, now)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    audit.record(session, actor=user.to_actor(), action="auth.login", entity_type="user", entity_id=user.id)
    return LoginOutcome(user)


def _fail(session: Session, user: User, max_failures: int, lockout: timedelta, now: datetime) -> LoginOutcome:
    user.failed_logins += 1
    left = max_failures - user.failed_logins
    if left <= 0:
        user.locked_until, user.failed_logins = now + lockout, 0
        audit.record(
            session,
            actor=user.to_actor(),
            action="auth.locked",
            entity_type="user",
            entity_id=user.id,
            reason=f"连续 {max_failures} 次密码错误",
        )
        minutes = int(lockout.total_seconds() // 60)
        return LoginOutcome(None, "auth.locked", f"密码错误次数过多，账户已锁定 {minutes} 分钟。")
    return LoginOutcome(None, "auth.invalid", f"用户名或密码错误，再错 {left} 次账户将被锁定。")


@cache
def _dummy_hash() -> str:
    """A hash to check unknown users against, made on first use (hashing costs CPU on import)."""
    return hash_password("longcheng-timing-equaliser")
