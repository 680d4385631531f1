"""Shared lookups of applications: get one the actor may see, the scope of lists, events."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require_visible
from longcheng.core.clock import utcnow
from longcheng.core.errors import NotFound
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application, StageEvent
from longcheng.grants.engine.stages import machine

ENTITY = "grants_application"


def get(session: Session, *, actor: Actor, number: str, lock: bool = False) -> Application:
    stmt = select(Application).where(Application.number == number.strip().upper())
    if lock:
        stmt = stmt.with_for_update()
    missing = NotFound("未找到该申报。", code="grants.application_not_found")
    return require_visible(actor, perm.APP_READ, session.scalar(stmt), missing)


def visible_to(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.enterprise:
        return Application.applicant_uscc == actor.org_uscc if actor.org_uscc else false()
    if actor.role is Role.officer and actor.district is not None:
        return Application.district == actor.district
    return true()


def set_stage(session: Session, actor: Actor, app: Application, to_stage: str, reason: str = "") -> None:
    """Move to ``to_stage`` (already judged allowed), with an event and an audit record."""
    before = app.stage
    app.stage, app.stage_entered_at = to_stage, utcnow()
    session.add(
        StageEvent(
            application_id=app.id, from_stage=before, to_stage=to_stage, reason=reason, actor=actor.label
        )
    )
    session.flush()
    labels = machine().labels
    audit.record(
        session,
        actor=actor,
        action="grants.application.stage",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"阶段": labels.get(before, before)},
        after={"阶段": labels.get(to_stage, to_stage)},
        reason=reason,
    )
