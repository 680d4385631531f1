"""XLSX export of the people list: masked, unless the exporter holds ``talent:pii`` (then the
clear numbers, and the export is audited as an unmasked view of every row)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.core.pii import vault
from longcheng.registry import reference
from longcheng.talent import permissions as perm
from longcheng.talent.models import Person
from longcheng.talent.schemas import DEGREE_LABELS, HOUSING_LABELS
from longcheng.talent.service import people

HEADERS = (
    "编号", "姓名", "身份证号码", "出生日期", "性别", "学历", "毕业院校", "毕业日期", "用人单位",
    "用人单位统一社会信用代码", "所属区", "来常就业日期", "离职日期", "社保月数", "住房情况",
    "银行账号", "实名确认",
)  # fmt: skip


def _row(person: Person, clear: bool) -> list[Cell]:
    number = vault.decrypt(person.id_token, purpose=people.ID_PURPOSE) if clear else person.id_masked
    bank = person.bank_masked
    if clear and person.bank_token:
        bank = vault.decrypt(person.bank_token, purpose=people.BANK_PURPOSE)
    return [
        person.id, person.name, number, person.birth_date, person.sex,
        DEGREE_LABELS.get(person.degree, person.degree), person.school, person.graduation_date,
        person.employer_name, person.employer_uscc or "", reference.place_name(person.district),
        person.start_date, person.left_date, person.si_months,
        HOUSING_LABELS.get(person.housing, person.housing), bank,
        "已确认" if person.confirmed_at else "未确认",
    ]  # fmt: skip


def people_xlsx(session: Session, *, actor: Actor, filters: people.PersonFilter, limit: int) -> bytes:
    """The filtered people (up to ``limit``), masked unless the actor may unmask."""
    require(actor, perm.EXPORT)
    clear = perm.may_unmask(session, actor)
    stmt = people.filtered(actor, filters).order_by(Person.id).limit(limit)
    found = list(session.scalars(stmt))
    if clear:
        audit.record(
            session,
            actor=actor,
            action="pii.view",
            entity_type="talent_export",
            entity_id="people.xlsx",
            after={"rows": len(found), "fields": ["id_number", "bank_account"]},
        )
    rows: Iterator[list[Cell]] = (_row(p, clear) for p in found)
    return write_xlsx("人才名单", HEADERS, rows)
