"""The notification centre's behaviour: notify, the inbox, read marks, e-mail preferences, failures.

Services never commit. :func:`notify` writes one row per recipient (skipping a recipient who
already has the same ``dedupe_key``), marks each for immediate e-mail or the digest by the
recipient's preference, and queues one ``notifications.send_email`` job for the immediate ones
(the worker's minute tick sends a queued job even when nobody dispatches it).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from longcheng.core import audit, hooks
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import NotFound, ValidationFailed
from longcheng.core.paging import Page, paginate
from longcheng.core.users import User
from longcheng.platform.jobs import service as job_service
from longcheng.platform.notifications import permissions as perm
from longcheng.platform.notifications.models import EmailMode, EmailState, Notification, NotificationPref
from longcheng.platform.notifications.schemas import Recipients, Source

SEND_EMAIL = "notifications.send_email"
DIGEST = "notifications.digest"
ENTITY = "platform_notification"


def resolve(session: Session, recipients: Recipients) -> builtins.list[int]:
    """The active users a :class:`Recipients` names, by id, in id order."""
    conds: builtins.list[ColumnElement[bool]] = []
    if recipients.user_ids:
        conds.append(User.id.in_(recipients.user_ids))
    if recipients.uscc:
        conds.append((User.org_uscc == recipients.uscc) & (User.role == Role.enterprise.value))
    if recipients.role is not None:
        role_cond = User.role == recipients.role.value
        if recipients.district is not None:
            role_cond &= or_(User.district == recipients.district, User.district.is_(None))
        conds.append(role_cond)
    if not conds:
        return []
    stmt = select(User.id).where(or_(*conds), User.is_active.is_(True)).order_by(User.id)
    return [int(i) for i in session.scalars(stmt)]


def default_mode(role: str) -> EmailMode:
    """Enterprises get a weekly digest, staff each message at once."""
    return EmailMode.digest if role == Role.enterprise.value else EmailMode.immediate


def _prefs(session: Session, user_ids: Iterable[int]) -> dict[int, tuple[str, EmailMode]]:
    """Per user: (address, mode); the address is empty when none was given."""
    ids = builtins.list(user_ids)
    roles = dict(session.execute(select(User.id, User.role).where(User.id.in_(ids))).all())
    rows = session.scalars(select(NotificationPref).where(NotificationPref.user_id.in_(ids)))
    stored = {p.user_id: (p.email, EmailMode(p.email_mode)) for p in rows}
    return {uid: stored.get(uid, ("", default_mode(str(roles.get(uid, ""))))) for uid in ids}


def _email_state(address: str, mode: EmailMode) -> EmailState:
    if not address or mode is EmailMode.off:
        return EmailState.none
    return EmailState.pending if mode is EmailMode.immediate else EmailState.digest


def notify(
    session: Session,
    *,
    actor: Actor,
    recipients: Recipients,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    source: Source,
    dedupe_key: str | None = None,
) -> builtins.list[Notification]:
    """Send a message to every recipient; returns the rows written (none for repeats of ``dedupe_key``)."""
    users = resolve(session, recipients)
    if dedupe_key is not None and users:
        stmt = select(Notification.user_id).where(
            Notification.dedupe_key == dedupe_key, Notification.user_id.in_(users)
        )
        seen = set(session.scalars(stmt))
        users = [u for u in users if u not in seen]
    if not users:
        return []
    prefs, now = _prefs(session, users), utcnow()
    rows = [
        Notification(
            user_id=uid,
            kind=kind[:80],
            title=title[:300],
            body=body,
            link=link[:500],
            source_module=source.module,
            source_type=source.entity_type,
            source_id=str(source.entity_id)[:80],
            dedupe_key=dedupe_key,
            created_at=now,
            email_state=_email_state(*prefs[uid]).value,
            email_attempts=0,
            email_error="",
        )
        for uid in users
    ]
    session.add_all(rows)
    session.flush()
    _queue_email(session, actor, [r.id for r in rows if r.email_state == EmailState.pending.value])
    audit.record(
        session,
        actor=actor,
        action="platform.notification.send",
        entity_type=ENTITY,
        entity_id=rows[0].id,
        after={"kind": kind, "recipients": len(rows), "source": f"{source.module}:{source.entity_id}"},
    )
    return rows


def _queue_email(session: Session, actor: Actor, ids: builtins.list[int]) -> None:
    if not ids:
        return
    key = f"{ids[0]}-{ids[-1]}#1"
    job_service.create_row(
        session,
        actor=actor,
        kind=SEND_EMAIL,
        key=key,
        params={"ids": ids, "attempt": 1},
        label="发送消息邮件",
    )


def _mine(actor: Actor) -> ColumnElement[bool]:
    return Notification.user_id == (actor.id if actor.id is not None else -1)


def inbox(
    session: Session, *, actor: Actor, unread_only: bool = False, page: int = 1, page_size: int = 20
) -> Page[Notification]:
    """The actor's messages, newest first."""
    require(actor, perm.READ)
    conds = [_mine(actor)]
    if unread_only:
        conds.append(Notification.read_at.is_(None))
    stmt = select(Notification).where(*conds).order_by(Notification.id.desc())
    count = select(func.count(Notification.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def unread_count(session: Session, *, actor: Actor) -> int:
    stmt = select(func.count(Notification.id)).where(_mine(actor), Notification.read_at.is_(None))
    return int(session.scalar(stmt) or 0)


def get(session: Session, notification_id: int, *, actor: Actor) -> Notification:
    require(actor, perm.READ)
    note = session.get(Notification, notification_id)
    if note is None or note.user_id != actor.id:
        raise NotFound("未找到该消息。", code="notifications.not_found")
    return note


def mark_read(session: Session, *, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the actor's messages read (404 for someone else's)."""
    note = get(session, notification_id, actor=actor)
    if note.read_at is None:
        note.read_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="platform.notification.read",
            entity_type=ENTITY,
            entity_id=note.id,
            before={"read": False},
            after={"read": True},
        )
        hooks.publish(
            hooks.NOTIFICATION_READ,
            session,
            actor=actor,
            module=note.source_module,
            entity_type=note.source_type,
            entity_id=note.source_id,
        )
    return note


def mark_read_by_source(session: Session, *, actor: Actor, source: Source) -> int:
    """Mark the actor's unread messages about one object read (a module's own read action).

    An empty ``entity_id`` means every object of the source's module and entity type.
    """
    conds = [
        _mine(actor),
        Notification.read_at.is_(None),
        Notification.source_module == source.module,
        Notification.source_type == source.entity_type,
    ]
    if source.entity_id:
        conds.append(Notification.source_id == str(source.entity_id))
    return _mark(session, actor, conds, action="platform.notification.read_source")


def mark_all_read(session: Session, *, actor: Actor) -> int:
    """Mark every unread message of the actor read; one audit record with the count."""
    require(actor, perm.READ)
    return _mark(
        session, actor, [_mine(actor), Notification.read_at.is_(None)], "platform.notification.read_all"
    )


def _mark(session: Session, actor: Actor, conds: builtins.list[ColumnElement[bool]], action: str) -> int:
    stmt = (
        update(Notification)
        .where(*conds)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
    if count:
        audit.record(
            session,
            actor=actor,
            action=action,
            entity_type="app_user",
            entity_id=actor.id or 0,
            after={"marked": count},
        )
    return count


def preference(session: Session, *, actor: Actor) -> tuple[str, EmailMode]:
    require(actor, perm.READ)
    return _prefs(session, [actor.id or -1])[actor.id or -1]


def set_preference(session: Session, *, actor: Actor, email: str, mode: EmailMode) -> NotificationPref:
    """Store the actor's address and e-mail mode (audited)."""
    require(actor, perm.READ)
    email = email.strip()
    if email and ("@" not in email or len(email) > 200 or any(c.isspace() for c in email)):
        raise ValidationFailed(
            "邮箱地址格式不正确。", code="notifications.bad_email", details={"email": "格式不正确"}
        )
    row = session.get(NotificationPref, actor.id)
    before = None if row is None else {"email": row.email, "mode": row.email_mode}
    if row is None:
        row = NotificationPref(user_id=actor.id)
        session.add(row)
    row.email, row.email_mode, row.updated_at = email, mode.value, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="platform.notification.preference",
        entity_type="app_user",
        entity_id=actor.id or 0,
        before=before,
        after={"email": email, "mode": mode.value},
    )
    return row


def failed(session: Session, *, actor: Actor, page: int = 1, page_size: int = 20) -> Page[Notification]:
    """E-mail that could not be delivered after every attempt (admins)."""
    require(actor, perm.FAILED)
    cond = Notification.email_state == EmailState.failed.value
    stmt = select(Notification).where(cond).order_by(Notification.id.desc())
    count = select(func.count(Notification.id)).where(cond)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def describe(note: Notification) -> dict[str, Any]:
    return {
        "id": note.id,
        "kind": note.kind,
        "title": note.title,
        "body": note.body,
        "link": note.link,
        "source_module": note.source_module,
        "source_type": note.source_type,
        "source_id": note.source_id,
        "created_at": note.created_at,
        "read": note.read_at is not None,
    }
