"""People: register and edit records (validated from the ID number), find them, list them.

An ID number is parsed and checked (GB 11643 check digit) once, here; the record keeps the
vault token, the blind index (``person.resident_id``, shared with every module that holds a
resident ID, so people link across modules) and the masked form. Audit snapshots hold masked
values only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require, require_visible
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import NotFound
from longcheng.core.ids import normalise_uscc
from longcheng.core.paging import Page, paginate
from longcheng.core.pii import ids, masking, vault
from longcheng.registry import service as registry_service
from longcheng.talent import permissions as perm
from longcheng.talent.models import Person
from longcheng.talent.schemas import DEGREE_LABELS, PersonCreate, PersonUpdate
from longcheng.talent.service.errors import DuplicatePerson, TalentInvalid

ENTITY = "talent_person"
ID_PURPOSE = "talent.id_number"
INDEX_PURPOSE = "person.resident_id"
BANK_PURPOSE = "talent.bank_account"
MIN_AGE = 16
MIN_GRADUATION_AGE = 15


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_identity(
    id_number: str, *, graduation_date: date | None, today: date | None = None
) -> ids.ResidentId:
    """The parsed ID, refused when the birth date is in the future, under 16, or the graduation
    date is before the 15th birthday."""
    today = today or local_today()
    rid = ids.parse_resident_id(id_number, today=date.max)  # a future birth date gets our own code
    if rid.birth_date > today:
        raise TalentInvalid("身份证号码中的出生日期在未来，请核对号码。", code="talent.birth_in_future")
    if years_after(rid.birth_date, MIN_AGE) > today:
        raise TalentInvalid("按身份证号码计算未满16周岁，不能登记为就业人才。", code="talent.under_16")
    if graduation_date is not None and graduation_date < years_after(rid.birth_date, MIN_GRADUATION_AGE):
        raise TalentInvalid(
            "毕业日期早于出生后第15年，请核对毕业日期或身份证号码。", code="talent.graduation_too_early"
        )
    return rid


def index_of(id_number: str) -> str:
    return vault.blind_index(id_number.strip().upper(), purpose=INDEX_PURPOSE)


def snapshot(person: Person) -> dict[str, Any]:
    """What the audit trail keeps of a person: masked numbers only."""
    return {
        "name": person.name,
        "id": person.id_masked,
        "degree": DEGREE_LABELS.get(person.degree, person.degree),
        "school": person.school,
        "graduation_date": person.graduation_date,
        "employer_uscc": person.employer_uscc,
        "start_date": person.start_date,
        "left_date": person.left_date,
        "housing": person.housing,
        "bank": person.bank_masked,
    }


def set_employer(session: Session, actor: Actor, person: Person, uscc: str | None) -> None:
    if not uscc:
        person.employer_uscc, person.employer_name, person.district, person.industry = None, "", None, ""
        return
    code = normalise_uscc(uscc)
    org = registry_service.get_many_by_uscc(session, actor=actor, usccs=[code]).get(code)
    if org is None:
        raise TalentInvalid(
            f"用人单位“{code}”不在企业库中，请先核对统一社会信用代码。", code="talent.employer_unknown"
        )
    person.employer_uscc, person.employer_name = org.uscc, org.name
    person.district, person.industry = org.district, org.industry or ""


def create(session: Session, *, actor: Actor, data: PersonCreate) -> Person:
    """Register a person; the same ID number twice (by blind index) is refused."""
    require(actor, perm.EDIT)
    rid = check_identity(data.id_number, graduation_date=data.graduation_date)
    index = index_of(rid.number)
    if session.scalar(select(Person.id).where(Person.id_index == index)) is not None:
        raise DuplicatePerson()
    person = Person(
        name=data.name,
        id_token=vault.encrypt(rid.number, purpose=ID_PURPOSE),
        id_index=index,
        id_masked=masking.mask_resident_id(rid.number),
        birth_date=rid.birth_date,
        sex=rid.sex,
        degree=data.degree,
        school=data.school,
        graduation_date=data.graduation_date,
        start_date=data.start_date,
        housing=data.housing,
    )
    set_employer(session, actor, person, data.employer_uscc)
    try:
        with session.begin_nested():
            session.add(person)
            session.flush()
    except IntegrityError:
        raise DuplicatePerson() from None
    audit.record(
        session,
        actor=actor,
        action="talent.person.create",
        entity_type=ENTITY,
        entity_id=person.id,
        after=snapshot(person),
    )
    return person


def get(session: Session, *, actor: Actor, person_id: int, for_update: bool = False) -> Person:
    """One person the actor may see (an unknown one and one outside the scope answer alike)."""
    stmt = select(Person).where(Person.id == person_id)
    if for_update:
        stmt = stmt.with_for_update()
    person = session.scalar(stmt)
    missing = NotFound("未找到该人员。", code="talent.not_found")
    return require_visible(actor, perm.READ, person, missing)


def update(session: Session, *, actor: Actor, person_id: int, data: PersonUpdate) -> Person:
    """Edit a record; dates are re-checked against the birth date from the ID."""
    require(actor, perm.EDIT)
    person = get(session, actor=actor, person_id=person_id, for_update=True)
    before = snapshot(person)
    changes = data.model_dump(exclude_unset=True)
    graduation = changes.get("graduation_date") or person.graduation_date
    if graduation < years_after(person.birth_date, MIN_GRADUATION_AGE):
        raise TalentInvalid("毕业日期早于出生后第15年，请核对毕业日期。", code="talent.graduation_too_early")
    if "employer_uscc" in changes:
        set_employer(session, actor, person, changes.pop("employer_uscc"))
    for key, value in changes.items():
        if value is not None or key in ("left_date", "start_date"):
            setattr(person, key, value)
    person.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="talent.person.update",
        entity_type=ENTITY,
        entity_id=person.id,
        before=before,
        after=snapshot(person),
    )
    return person


def history(session: Session, *, actor: Actor, person: Person) -> list[audit.AuditRecord]:
    """The person's change log (masked values only, as recorded)."""
    require(actor, perm.READ)
    return audit.history(session, entity_type=ENTITY, entity_id=str(person.id))


def find_by_id_number(session: Session, *, actor: Actor, id_number: str) -> Person | None:
    """Exact search through the blind index (the number itself is never compared or stored)."""
    require(actor, perm.READ)
    person = session.scalar(select(Person).where(Person.id_index == index_of(id_number), visible_to(actor)))
    return person


def visible_to(actor: Actor) -> ColumnElement[bool]:
    """District officers see the people whose employer is in their district."""
    if actor.role is Role.officer and actor.district is not None:
        return Person.district == actor.district
    return true()


@dataclass(frozen=True)
class PersonFilter:
    q: str = ""
    degree: str = ""
    district: str = ""
    confirmed: str = ""

    @classmethod
    def of(cls, params: Mapping[str, str]) -> PersonFilter:
        return cls(**{k: str(params.get(k) or "").strip() for k in ("q", "degree", "district", "confirmed")})


def filtered(actor: Actor, f: PersonFilter) -> Select[Person]:
    stmt = select(Person).where(visible_to(actor))
    if f.q:
        is_id = ids.is_valid(f.q)
        stmt = stmt.where(Person.id_index == index_of(f.q) if is_id else Person.name.contains(f.q))
    if f.degree:
        stmt = stmt.where(Person.degree == f.degree)
    if f.district:
        stmt = stmt.where(Person.district == f.district)
    if f.confirmed in ("yes", "no"):
        stmt = stmt.where(
            Person.confirmed_at.is_not(None) if f.confirmed == "yes" else Person.confirmed_at.is_(None)
        )
    return stmt


def list_people(
    session: Session, *, actor: Actor, filters: PersonFilter, page: int = 1, page_size: int = 20
) -> Page[Person]:
    require(actor, perm.READ)
    stmt = filtered(actor, filters)
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    return paginate(session, stmt.order_by(Person.id), page=page, page_size=page_size, count=count)


def as_read(person: Person) -> dict[str, Any]:
    """The masked JSON of a person (PersonRead)."""
    return {
        "id": person.id,
        "name": person.name,
        "id_masked": person.id_masked,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "degree": person.degree,
        "degree_label": DEGREE_LABELS.get(person.degree, person.degree),
        "school": person.school,
        "graduation_date": person.graduation_date,
        "employer_uscc": person.employer_uscc,
        "employer_name": person.employer_name,
        "district": person.district,
        "start_date": person.start_date,
        "left_date": person.left_date,
        "si_months": person.si_months,
        "housing": person.housing,
        "bank_masked": person.bank_masked,
        "confirmed": person.confirmed_at is not None,
    }
