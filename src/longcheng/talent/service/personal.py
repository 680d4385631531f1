"""A person's own page (Role.talent, bound to one record): see and download the record, ask for
a correction, confirm identity and bank account once (实名确认), change the bank account.

The bank account is the person's alone: nobody else may set or change it (refused and audited).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import NotFound
from longcheng.core.pii import masking, vault
from longcheng.talent import permissions as perm
from longcheng.talent.models import Correction, Person
from longcheng.talent.schemas import DEGREE_LABELS, BankChange, Confirmation, CorrectionCreate
from longcheng.talent.service import people
from longcheng.talent.service.errors import ConfirmationMismatch, NotThePerson, TalentInvalid

CORRECTION_ENTITY = "talent_correction"
CORRECTION_STATUS = {"pending": "待处理", "done": "已处理", "rejected": "已驳回"}


def my_record(session: Session, *, actor: Actor) -> Person:
    """The record bound to the signed-in person."""
    require(actor, perm.SELF)
    person = session.scalar(select(Person).where(Person.user_id == actor.id))
    if person is None:
        raise NotFound("您的账号尚未关联人才档案，请联系人社部门。", code="talent.no_record")
    return person


def _bank_digits(text: str) -> str:
    digits = "".join(text.split())
    if not digits.isdigit() or not 12 <= len(digits) <= 30:
        raise TalentInvalid("银行账号应为12至30位数字。", code="talent.bank_invalid")
    return digits


def change_bank(session: Session, *, actor: Actor, person_id: int, data: BankChange) -> Person:
    """Only the person may change their bank account; anyone else is refused (403) and audited."""
    person = session.scalar(select(Person).where(Person.id == person_id).with_for_update())
    if person is None or actor.role is not Role.talent or person.user_id != actor.id:
        raise NotThePerson()
    digits = _bank_digits(data.bank_account)
    before = {"bank": person.bank_masked}
    person.bank_token = vault.encrypt(digits, purpose=people.BANK_PURPOSE)
    person.bank_masked = masking.mask_bank_account(digits)
    person.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="talent.bank.change",
        entity_type=people.ENTITY,
        entity_id=person.id,
        before=before,
        after={"bank": person.bank_masked},
    )
    return person


def confirm(session: Session, *, actor: Actor, data: Confirmation) -> Person:
    """实名确认, once: the typed ID number must match the record; the bank account is stored."""
    person = my_record(session, actor=actor)
    if person.confirmed_at is not None:
        return person
    if people.index_of(data.id_number) != person.id_index:
        raise ConfirmationMismatch()
    digits = _bank_digits(data.bank_account)
    person.bank_token = vault.encrypt(digits, purpose=people.BANK_PURPOSE)
    person.bank_masked = masking.mask_bank_account(digits)
    person.confirmed_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action="talent.confirm",
        entity_type=people.ENTITY,
        entity_id=person.id,
        after={"bank": person.bank_masked, "confirmed": True},
    )
    return person


def download(session: Session, *, actor: Actor) -> bytes:
    """The person's own record as JSON, their own numbers in clear (audited as a view)."""
    person = my_record(session, actor=actor)
    data: dict[str, Any] = {
        "姓名": person.name,
        "身份证号码": vault.decrypt(person.id_token, purpose=people.ID_PURPOSE),
        "出生日期": person.birth_date.isoformat(),
        "性别": person.sex,
        "学历": DEGREE_LABELS.get(person.degree, person.degree),
        "毕业院校": person.school,
        "毕业日期": person.graduation_date.isoformat(),
        "用人单位": person.employer_name,
        "用人单位统一社会信用代码": person.employer_uscc or "",
        "来常就业日期": person.start_date.isoformat() if person.start_date else "",
        "在常缴纳社保月数": person.si_months,
        "银行账号": vault.decrypt(person.bank_token, purpose=people.BANK_PURPOSE)
        if person.bank_token
        else "",
        "实名确认": "已确认" if person.confirmed_at else "未确认",
    }
    audit.record(
        session,
        actor=actor,
        action="pii.view",
        entity_type=people.ENTITY,
        entity_id=person.id,
        after={"fields": ["own_record"]},
    )
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def ask_correction(session: Session, *, actor: Actor, data: CorrectionCreate) -> Correction:
    """A person asks the officers to correct a field of their record."""
    person = my_record(session, actor=actor)
    row = Correction(
        person_id=person.id, field=data.field, requested=data.requested, note=data.note, created_at=utcnow()
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="talent.correction.ask",
        entity_type=CORRECTION_ENTITY,
        entity_id=row.id,
        after={"field": data.field, "requested": data.requested},
    )
    return row


def corrections(session: Session, *, actor: Actor, person_id: int | None = None) -> list[Correction]:
    """A person's own requests, or (staff) one person's or every pending request."""
    if actor.role is Role.talent:
        person_id = my_record(session, actor=actor).id
    else:
        require(actor, perm.READ)
    stmt = select(Correction).order_by(Correction.id.desc())
    if person_id is not None:
        stmt = stmt.where(Correction.person_id == person_id)
    else:
        stmt = stmt.where(Correction.status == "pending")
    return list(session.scalars(stmt.limit(200)))


def decide_correction(
    session: Session, *, actor: Actor, correction_id: int, status: str, answer: str
) -> Correction:
    """An officer closes a request (已处理 after editing the record, or 已驳回 with the reason)."""
    require(actor, perm.EDIT)
    row = session.get(Correction, correction_id)
    if row is None:
        raise NotFound("未找到该更正申请。", code="talent.correction_not_found")
    if status not in ("done", "rejected"):
        raise TalentInvalid("处理结果应为“已处理”或“已驳回”。", code="talent.correction_status")
    people.get(session, actor=actor, person_id=row.person_id)
    before = {"status": CORRECTION_STATUS[row.status]}
    row.status, row.answer, row.decided_at = status, answer, utcnow()
    audit.record(
        session,
        actor=actor,
        action="talent.correction.decide",
        entity_type=CORRECTION_ENTITY,
        entity_id=row.id,
        before=before,
        after={"status": CORRECTION_STATUS[status], "answer": answer},
    )
    return row


def bind_user(session: Session, *, actor: Actor, person_id: int, user_id: int) -> Person:
    """Bind a Role.talent account to its record (admins; the demo does it for its person)."""
    require(actor, perm.PII_GRANT)
    person = people.get(session, actor=actor, person_id=person_id)
    person.user_id = user_id
    audit.record(
        session,
        actor=actor,
        action="talent.person.bind",
        entity_type=people.ENTITY,
        entity_id=person.id,
        after={"user_id": user_id},
    )
    return person
