"""The enterprise's inbox: 精准推送 messages about its own firm, newest first, with read state.

Every message is a row of a run's notification list (``Notification``) that was pushed; the
enterprise user sees only rows of its own USCC. Marking messages read is audited. A pushed row
also goes to the firm's users through the platform's notification centre (:func:`push_to_centre`),
which is what the enterprise sees as 我的消息; marking a row read here marks its centre message read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, func, select, update
from sqlalchemy.orm import Session

from longcheng.core import audit, hooks
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require, require_visible
from longcheng.core.clock import utcnow
from longcheng.core.errors import NotFound
from longcheng.core.paging import Page, paginate
from longcheng.core.users import User
from longcheng.platform.notifications import service as centre
from longcheng.platform.notifications.schemas import Recipients, Source
from longcheng.policy import permissions as perm
from longcheng.policy.engine.amounts import fen_to_chinese
from longcheng.policy.engine.errors import InputError
from longcheng.policy.models import Notification, Run
from longcheng.policy.service import get_pack

KIND_LABELS = {"new": "新符合", "changed": "金额变化", "dropped": "不再符合"}
ENTITY = "policy_notification"


def _source(note_id: int | None = None) -> Source:
    return Source("policy", ENTITY, "" if note_id is None else str(note_id))


def push_to_centre(session: Session, *, actor: Actor, run: Run) -> int:
    """Send each pushed row of ``run`` to its firm's enterprise users; returns the messages written."""
    with_users = set(
        session.scalars(
            select(User.org_uscc)
            .where(User.role == Role.enterprise.value, User.is_active.is_(True))
            .distinct()
        )
    )
    written = 0
    stmt = select(Notification).where(Notification.run_id == run.id, Notification.pushed.is_(True))
    for note in session.scalars(stmt.order_by(Notification.id)):
        if note.uscc not in with_users:
            continue
        shown = describe(session, note)
        written += len(
            centre.notify(
                session,
                actor=actor,
                recipients=Recipients(uscc=note.uscc),
                kind=f"policy.{note.kind}",
                title=f"【{shown['kind_label']}】{shown['title']}",
                body=note.reason,
                link="/policy/mine",
                source=_source(note.id),
                dedupe_key=f"policy.notification:{note.id}",
            )
        )
    return written


def _mine(actor: Actor) -> ColumnElement[bool]:
    if not actor.org_uscc:
        return false()
    return (Notification.uscc == actor.org_uscc) & Notification.pushed.is_(True)


def inbox(
    session: Session, *, actor: Actor, unread_only: bool = False, page: int = 1, page_size: int = 20
) -> Page[Notification]:
    """The actor's firm's messages, newest first."""
    require(actor, perm.INBOX)
    conds = [_mine(actor)]
    if unread_only:
        conds.append(Notification.read_at.is_(None))
    stmt = select(Notification).where(*conds).order_by(Notification.id.desc())
    count = select(func.count(Notification.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def unread_count(session: Session, *, actor: Actor) -> int:
    require(actor, perm.INBOX)
    stmt = select(func.count(Notification.id)).where(_mine(actor), Notification.read_at.is_(None))
    return int(session.scalar(stmt) or 0)


def mark_read(session: Session, *, actor: Actor, notification_id: int) -> Notification:
    """Mark one of the firm's messages read (404 alike for another firm's and an unknown one)."""
    note = session.get(Notification, notification_id)
    missing = NotFound("未找到该消息。", code="policy.notification_not_found")
    note = require_visible(actor, perm.INBOX, note if note is not None and note.pushed else None, missing)
    centre.mark_read_by_source(session, actor=actor, source=_source(note.id))
    if note.read_at is None:
        note.read_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="policy.notification.read",
            entity_type="policy_notification",
            entity_id=note.id,
            before={"read": False},
            after={"read": True},
        )
    return note


def on_centre_read(session: Session, *, actor: Actor, **payload: Any) -> hooks.HookReply | None:
    """A firm's user read the centre's copy of a policy message: the inbox shows it read too."""
    entity_id = str(payload.get("entity_id") or "")
    if (payload.get("module"), payload.get("entity_type")) != ("policy", ENTITY) or not entity_id.isdigit():
        return None
    if not actor.org_uscc:
        return None
    note = session.get(Notification, int(entity_id))
    if note is None or note.uscc != actor.org_uscc or note.read_at is not None:
        return None
    note.read_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="policy.notification.read",
        entity_type="policy_notification",
        entity_id=note.id,
        before={"read": False},
        after={"read": True},
        reason="在消息中心阅读",
    )
    return hooks.HookReply("policy", "政策消息已同步为已读", {"read": 1})


def mark_all_read(session: Session, *, actor: Actor) -> int:
    """Mark every unread message of the firm read; one audit record with the count."""
    require(actor, perm.INBOX)
    if not actor.org_uscc:
        raise InputError("policy.no_firm", "该账号未绑定企业")
    stmt = (
        update(Notification)
        .where(_mine(actor), Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
    centre.mark_read_by_source(session, actor=actor, source=_source())
    if count:
        audit.record(
            session,
            actor=actor,
            action="policy.notification.read_all",
            entity_type="org",
            entity_id=actor.org_uscc,
            after={"marked_read": count},
        )
    return count


def describe(session: Session, note: Notification) -> dict[str, Any]:
    """A message as the inbox shows it: title, body, the clause and the year."""
    run = session.get(Run, note.run_id)
    pack = get_pack(run.pack_id) if run else get_pack()
    clause = pack.clauses.get(note.clause_id)
    title = clause.title if clause else note.clause_id
    amount = fen_to_chinese(note.amount_fen) if note.amount_fen is not None else ""
    previous = fen_to_chinese(note.previous_amount_fen) if note.previous_amount_fen is not None else ""
    headline = {
        "new": f"您可享受“{title}”，测算金额 {amount}",
        "changed": f"“{title}”测算金额由 {previous} 变为 {amount}",
        "dropped": f"您暂不再符合“{title}”（原测算金额 {previous}）",
    }[note.kind]
    return {
        "id": note.id,
        "kind": note.kind,
        "kind_label": KIND_LABELS[note.kind],
        "title": headline,
        "body": note.reason,
        "clause": note.clause_id,
        "clause_title": title,
        "year": run.period if run else "",
        "created_at": note.created_at,
        "read": note.read_at is not None,
    }
