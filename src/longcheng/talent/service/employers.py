"""Employer declarations seen from the firm: its declared employees, confirmed through its own
enterprise account (an officer's import leaves them 待确认 until the firm confirms)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require, require_visible
from longcheng.core.clock import utcnow
from longcheng.core.errors import NotFound
from longcheng.core.pii import masking
from longcheng.talent import permissions as perm
from longcheng.talent.models import Employment, Person

ENTITY = "talent_employment"
STATUS_LABELS = {"pending": "待确认", "confirmed": "已确认"}


@dataclass(frozen=True)
class Employee:
    employment: Employment
    name: str
    id_masked: str


def employees_of(session: Session, *, actor: Actor) -> list[Employee]:
    """The firm's declared employees (names masked as on every enterprise screen)."""
    require(actor, perm.EMPLOYER)
    stmt = (
        select(Employment, Person.name, Person.id_masked)
        .join(Person, Person.id == Employment.person_id)
        .where(Employment.employer_uscc == actor.org_uscc)
        .order_by(Employment.status.desc(), Employment.start_date.desc())
        .limit(500)
    )
    return [Employee(e, masking.mask_name(name), masked) for e, name, masked in session.execute(stmt).all()]


def confirm(session: Session, *, actor: Actor, employment_id: int) -> Employment:
    """The firm confirms that the declared person works there (its own declarations only)."""
    row = session.get(Employment, employment_id)
    missing = NotFound("未找到该员工申报记录。", code="talent.employment_not_found")
    row = require_visible(actor, perm.EMPLOYER, row, missing)
    if row.status != "confirmed":
        row.status, row.confirmed_by, row.confirmed_at = "confirmed", actor.label, utcnow()
        audit.record(
            session,
            actor=actor,
            action="talent.employment.confirm",
            entity_type=ENTITY,
            entity_id=row.id,
            before={"status": "待确认"},
            after={"status": "已确认"},
        )
    return row
