"""Unmasked numbers (``talent:pii``): reading them, granting the right, rotating the key.

Every unmasked view writes ``pii.view``; every refused attempt writes ``pii.view_denied`` and
returns the refusal *without raising*, so the request's transaction keeps the audit record
(a raised error would roll it back). The caller turns the refusal into a 403.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import NotFound
from longcheng.core.pii import vault
from longcheng.core.users import User
from longcheng.talent import permissions as perm
from longcheng.talent.models import Person, PiiGrant
from longcheng.talent.service import people
from longcheng.talent.service.errors import PiiDenied

GRANT_ENTITY = "talent_pii_grant"


def reveal(session: Session, *, actor: Actor, person_id: int) -> dict[str, object] | PiiDenied:
    """The clear ID number and bank account, or the refusal (audited either way)."""
    if not perm.may_unmask(session, actor):
        audit.record(
            session,
            actor=actor,
            action="pii.view_denied",
            entity_type=people.ENTITY,
            entity_id=person_id,
            after={"fields": ["id_number", "bank_account"]},
            reason="无 talent:pii 权限",
        )
        return PiiDenied()
    person = people.get(session, actor=actor, person_id=person_id)
    bank = vault.decrypt(person.bank_token, purpose=people.BANK_PURPOSE) if person.bank_token else None
    audit.record(
        session,
        actor=actor,
        action="pii.view",
        entity_type=people.ENTITY,
        entity_id=person.id,
        after={"fields": ["id_number", "bank_account"], "id": person.id_masked},
    )
    return {
        "id": person.id,
        "id_number": vault.decrypt(person.id_token, purpose=people.ID_PURPOSE),
        "bank_account": bank,
    }


def grant(session: Session, *, actor: Actor, username: str) -> PiiGrant:
    """Give an officer ``talent:pii`` (admins hold it already)."""
    require(actor, perm.PII_GRANT)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.role != "officer":
        raise NotFound("未找到该工作人员账号（只能授予区县工作人员）。", code="talent.grant_user")
    found = session.scalar(select(PiiGrant).where(PiiGrant.user_id == user.id))
    if found is not None:
        return found
    row = PiiGrant(user_id=user.id, granted_by=actor.label, granted_at=utcnow())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="talent.pii.grant",
        entity_type=GRANT_ENTITY,
        entity_id=user.id,
        after={"user": username},
    )
    return row


def rotate(session: Session, *, actor: Actor, batch: int = 2000) -> int:
    """Re-encrypt every token not under the active key (``longcheng talent rotate-key``)."""
    require(actor, perm.PII_GRANT)
    changed, last = 0, 0
    while True:
        rows = list(
            session.scalars(
                select(Person).where(Person.id > last).order_by(Person.id).limit(batch).with_for_update()
            )
        )
        if not rows:
            break
        for person in rows:
            changed += _rotate_one(person)
        last = rows[-1].id
        session.flush()
    audit.record(
        session,
        actor=actor,
        action="talent.pii.rotate",
        entity_type="talent_pii_key",
        entity_id="active",
        after={"reencrypted": changed},
    )
    return changed


def _rotate_one(person: Person) -> int:
    done = 0
    if vault.needs_rotation(person.id_token):
        person.id_token = vault.reencrypt(person.id_token, purpose=people.ID_PURPOSE)
        done = 1
    if person.bank_token and vault.needs_rotation(person.bank_token):
        person.bank_token = vault.reencrypt(person.bank_token, purpose=people.BANK_PURPOSE)
        done = 1
    return done
