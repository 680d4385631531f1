"""The data sources: imports written all-or-nothing, and how fresh each source is.

A month's 直兑 run refuses to start on stale data (:func:`stale_for`): the 人社 data must cover
the month, employer declarations must have been imported in or after the month, and 学历 data
within the twelve months before it. The freshness page shows each source's last import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.tabular import RowReport
from longcheng.registry import service as registry_service
from longcheng.talent import importer
from longcheng.talent import permissions as perm
from longcheng.talent.models import Employment, Person, SocialInsurance, SourceImport
from longcheng.talent.service import people
from longcheng.talent.service.errors import TalentInvalid

ENTITY = "talent_source_import"
DEGREE_MAX_AGE_MONTHS = 12


@dataclass
class ImportReport(RowReport):
    """What an import found and, when it was good, what it changed."""

    changed: int = 0
    import_id: int | None = None


def known_people(session: Session) -> dict[str, int]:
    return {str(idx): int(pid) for idx, pid in session.execute(select(Person.id_index, Person.id)).all()}


def run_import(
    session: Session, *, actor: Actor, source: str, path: Path, max_bytes: int, filename: str = ""
) -> ImportReport:
    """Validate the whole file and write it only when every row is good."""
    require(actor, perm.IMPORT)
    if source not in importer.SOURCES:
        raise TalentInvalid(f"未知的数据源“{source}”。", code="talent.unknown_source")
    if actor.role is Role.enterprise and source != "employer":
        raise TalentInvalid("企业只能导入本单位的员工申报。", code="talent.enterprise_source")
    known = known_people(session)
    report = ImportReport()
    if source == "social_insurance":
        found, rows = importer.parse_social_insurance(
            path, max_bytes=max_bytes, known=known, index_of=people.index_of
        )
        _check_stored_employers(session, found, rows)
        writer: Any = lambda: _write_si(session, rows)  # noqa: E731
        covers = max((r.month for r in rows), default=_this_month())
    elif source == "degree":
        found, degree_rows = importer.parse_degree(
            path, max_bytes=max_bytes, known=known, index_of=people.index_of
        )
        if found.ok:
            _check_degrees(session, found, degree_rows)
        writer, covers = (lambda: _write_degree(session, actor, degree_rows)), _this_month()
    else:
        own = actor.org_uscc if actor.role is Role.enterprise else None
        found, emp_rows = importer.parse_employer(
            path, max_bytes=max_bytes, known=known, index_of=people.index_of, own_uscc=own
        )
        _check_employers(session, actor, found, emp_rows)
        writer, covers = (lambda: _write_employer(session, actor, emp_rows)), _this_month()
    report.rows, report.errors, report.error_count = found.rows, found.errors, found.error_count
    if report.ok:
        report.changed = writer()
        report.import_id = _log(session, actor, source, filename, report, covers)
    return report


def _this_month() -> str:
    return local_today().strftime("%Y-%m")


def _log(
    session: Session, actor: Actor, source: str, filename: str, report: ImportReport, covers: str
) -> int:
    label = importer.SOURCES[source]
    summary = f"{label}：{report.rows} 行，变更 {report.changed} 条，数据截至 {covers}"
    row = SourceImport(
        source=source,
        filename=filename[:200],
        rows=report.rows,
        changed=report.changed,
        covers_month=covers,
        summary=summary,
        actor=actor.label,
        imported_at=utcnow(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="talent.import",
        entity_type=ENTITY,
        entity_id=row.id,
        after={"source": label, "rows": report.rows, "changed": report.changed, "covers": covers},
    )
    return row.id


def _stored_si(
    session: Session, person_ids: Iterable[int], months: Iterable[str]
) -> dict[tuple[int, str], SocialInsurance]:
    ids_, months_ = sorted(set(person_ids)), sorted(set(months))
    found: dict[tuple[int, str], SocialInsurance] = {}
    for start in range(0, len(ids_), 900):
        stmt = select(SocialInsurance).where(
            SocialInsurance.person_id.in_(ids_[start : start + 900]), SocialInsurance.month.in_(months_)
        )
        found.update({(r.person_id, r.month): r for r in session.scalars(stmt)})
    return found


def _check_stored_employers(session: Session, report: RowReport, rows: list[importer.SiRow]) -> None:
    """A month already stored with another employer is reported, never overwritten silently."""
    if not report.ok:
        return
    stored = _stored_si(session, (r.person_id for r in rows), (r.month for r in rows))
    for row in rows:
        old = stored.get((row.person_id, row.month))
        if old is not None and old.employer_uscc != row.uscc:
            report.add(
                row.line,
                "单位统一社会信用代码",
                f"该人员 {row.month} 已有缴费单位 {old.employer_uscc}，与本行的 {row.uscc} 不同，请核实",
            )


def _write_si(session: Session, rows: list[importer.SiRow]) -> int:
    stored = _stored_si(session, (r.person_id for r in rows), (r.month for r in rows))
    changed = 0
    for row in rows:
        old = stored.get((row.person_id, row.month))
        if old is None:
            session.add(
                SocialInsurance(
                    person_id=row.person_id, month=row.month, employer_uscc=row.uscc, paid=row.paid
                )
            )
            changed += 1
        elif old.paid != row.paid:
            old.paid = row.paid
            changed += 1
    session.flush()
    _recount_months(session, {r.person_id for r in rows})
    return changed


def _recount_months(session: Session, person_ids: set[int]) -> None:
    ids_ = sorted(person_ids)
    for start in range(0, len(ids_), 900):
        chunk = ids_[start : start + 900]
        counts = dict(
            session.execute(
                select(SocialInsurance.person_id, func.count())
                .where(SocialInsurance.person_id.in_(chunk), SocialInsurance.paid.is_(True))
                .group_by(SocialInsurance.person_id)
            ).all()
        )
        for pid in chunk:
            session.execute(update(Person).where(Person.id == pid).values(si_months=int(counts.get(pid, 0))))


def _check_degrees(session: Session, report: RowReport, rows: list[importer.DegreeRow]) -> None:
    """A graduation before the 15th birthday is a row error (checked before anything is written)."""
    births = (
        dict(
            session.execute(
                select(Person.id, Person.birth_date).where(Person.id.in_({r.person_id for r in rows}))
            ).all()
        )
        if rows
        else {}
    )
    for row in rows:
        if row.graduation_date < people.years_after(births[row.person_id], people.MIN_GRADUATION_AGE):
            report.add(row.line, "毕业日期", "毕业日期早于出生后第15年")


def _write_degree(session: Session, actor: Actor, rows: list[importer.DegreeRow]) -> int:
    changes = []
    for row in rows:
        person = session.get(Person, row.person_id)
        assert person is not None
        before = {"degree": person.degree, "school": person.school, "graduation_date": person.graduation_date}
        after = {"degree": row.degree, "school": row.school, "graduation_date": row.graduation_date}
        if before != after:
            person.degree, person.school, person.graduation_date = row.degree, row.school, row.graduation_date
            changes.append(
                audit.Change(
                    "talent.degree.import", people.ENTITY, str(person.id), before, after, "学历数据导入"
                )
            )
    session.flush()
    return audit.record_many(session, actor=actor, changes=changes)


def _check_employers(
    session: Session, actor: Actor, report: RowReport, rows: list[importer.EmployerRow]
) -> None:
    """Every declared employer must be in the registry (checked before anything is written)."""
    known = registry_service.get_many_by_uscc(session, actor=actor, usccs={r.uscc for r in rows})
    for row in rows:
        if row.uscc not in known:
            report.add(row.line, "单位统一社会信用代码", f"用人单位“{row.uscc}”不在企业库中")


def _write_employer(session: Session, actor: Actor, rows: list[importer.EmployerRow]) -> int:
    """Store each declaration (confirmed when the firm itself declares) and move the person's
    current employer: the latest declaration still open, else the end date of the last one."""
    changed = 0
    for row in rows:
        found = session.scalar(
            select(Employment).where(
                Employment.person_id == row.person_id,
                Employment.employer_uscc == row.uscc,
                Employment.start_date == row.start_date,
            )
        )
        if found is None:
            found = Employment(person_id=row.person_id, employer_uscc=row.uscc, start_date=row.start_date)
            session.add(found)
        elif found.end_date == row.end_date:
            continue
        found.end_date = row.end_date
        if actor.role is Role.enterprise:
            found.status, found.confirmed_by, found.confirmed_at = "confirmed", actor.label, utcnow()
        changed += 1
        _apply_employment(session, actor, row)
    session.flush()
    return changed


def _apply_employment(session: Session, actor: Actor, row: importer.EmployerRow) -> None:
    person = session.get(Person, row.person_id)
    assert person is not None
    before = people.snapshot(person)
    if row.end_date is None:
        people.set_employer(session, actor, person, row.uscc)
        person.left_date = None
        if person.start_date is None or row.start_date < person.start_date:
            person.start_date = row.start_date
    elif person.employer_uscc == row.uscc:
        person.left_date = row.end_date
    audit.record(
        session,
        actor=actor,
        action="talent.employment.declare",
        entity_type=people.ENTITY,
        entity_id=person.id,
        before=before,
        after=people.snapshot(person),
    )


# -- freshness ---------------------------------------------------------------------------------
def last_imports(session: Session) -> dict[str, SourceImport | None]:
    out: dict[str, SourceImport | None] = {}
    for source in importer.SOURCES:
        out[source] = session.scalar(
            select(SourceImport)
            .where(SourceImport.source == source)
            .order_by(SourceImport.id.desc())
            .limit(1)
        )
    return out


def freshness(session: Session, *, actor: Actor) -> list[dict[str, Any]]:
    """Per source: the last import (when, rows, what changed, the month it covers)."""
    require(actor, perm.READ)
    rows = []
    for source, last in last_imports(session).items():
        rows.append(
            {
                "source": source,
                "label": importer.SOURCES[source],
                "last_import": last.imported_at if last else None,
                "rows": last.rows if last else 0,
                "changed": last.changed if last else 0,
                "covers_month": last.covers_month if last else None,
                "summary": last.summary if last else "从未导入",
                "fresh_for": last.covers_month if last else None,
            }
        )
    return rows


def _months_before(month: str, n: int) -> str:
    y, m = int(month[:4]), int(month[5:])
    total = y * 12 + m - 1 - n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def stale_for(session: Session, month: str) -> list[str]:
    """The sources too old to run ``month`` on, each as a Chinese sentence (empty: all fresh)."""
    problems = []
    last = last_imports(session)
    need = {
        "social_insurance": month,
        "employer": month,
        "degree": _months_before(month, DEGREE_MAX_AGE_MONTHS),
    }
    for source, wanted in need.items():
        row, label = last[source], importer.SOURCES[source]
        if row is None:
            problems.append(f"{label}从未导入")
        elif row.covers_month < wanted:
            problems.append(f"{label}数据截至 {row.covers_month}，早于所需的 {wanted}")
    return problems


def month_start(month: str) -> date:
    return date(int(month[:4]), int(month[5:]), 1)


def next_month(month: str) -> str:
    y, m = int(month[:4]), int(month[5:])
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"
