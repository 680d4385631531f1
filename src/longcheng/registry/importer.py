"""Import organisations from XLSX/CSV: validate every row, then write all or nothing.

Pass one streams the file and validates each row (USCC check digit, duplicates in the file and
against the database, places, industry, tags, numbers such as ``1,234.5万``, dates such as
``2023年3月15日``); it keeps only the errors and the set of codes seen, so memory stays flat.
Pass two runs only when pass one found nothing wrong, and writes in batches in the caller's
transaction, with one audit record per organisation.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any, cast

from pydantic import ValidationError
from sqlalchemy import Table, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import Proposed, require
from longcheng.core.bounds import INT_MAX
from longcheng.core.clock import utcnow
from longcheng.core.db import append_rows
from longcheng.core.errors import Conflict, ValidationFailed
from longcheng.core.money import parse_number
from longcheng.core.tabular import RowReport, cell_text, iter_rows, parse_date_cell
from longcheng.core.validation import chinese_errors
from longcheng.registry import permissions as perm
from longcheng.registry import reference as ref
from longcheng.registry import search as name_search
from longcheng.registry.models import Organisation, OrgFact, OrgTag
from longcheng.registry.schemas import OrgCreate
from longcheng.registry.service import search_text

REQUIRED = ("统一社会信用代码", "机构名称")
COLUMNS: dict[str, str] = {
    "统一社会信用代码": "uscc",
    "机构名称": "name",
    "曾用名": "former_names",
    "机构类型": "org_type",
    "所属区": "district",
    "所属园区": "park",
    "行业代码": "industry",
    "成立日期": "established",
    "地址": "address",
}
TAG_COLUMN = "企业标签"
YEAR_COLUMN = "数据年度"
SOURCE_COLUMN = "数据来源"
FACT_COLUMNS: dict[str, tuple[str, bool]] = {  # header -> (fact kind, money in 万元)
    "营业收入（万元）": ("revenue", True),
    "研发投入（万元）": ("rd_spending", True),
    "纳税额（万元）": ("tax", True),
    "从业人数": ("employees", False),
}
HEADERS = [*COLUMNS, TAG_COLUMN, YEAR_COLUMN, *FACT_COLUMNS, SOURCE_COLUMN]
BATCH = 1000


@dataclass
class ImportReport(RowReport):
    created: int = 0


@dataclass
class ParsedRow:
    org: OrgCreate
    tags: list[dict[str, Any]]
    facts: list[dict[str, Any]]


def _money_fen(text: str) -> int:
    """A 万元 column: a bare number is 万元; a value with its own unit (元/万/亿) keeps it."""
    stripped = text.replace("元", "").strip()
    has_unit = stripped.endswith(("万", "亿"))
    value = parse_number(stripped) if has_unit else parse_number(stripped) * 10000
    fen = value * 100
    if fen > INT_MAX:
        raise ValueError("金额超出允许范围")
    if fen != fen.to_integral_value():
        raise ValueError("金额最多精确到分")
    if fen < 0:
        raise ValueError("金额不能为负数")
    return int(fen)


def _count(text: str) -> int:
    value = parse_number(text)
    if value > INT_MAX:
        raise ValueError("人数超出允许范围")
    if value != value.to_integral_value() or value < 0:
        raise ValueError("人数应为非负整数")
    return int(value)


def _tags(text: str) -> list[dict[str, Any]]:
    """``高新技术企业:2023-11-01; 专精特新中小企业(省级):2024-01-01`` → tag rows with validity."""
    types = ref.tag_types()
    labels = {t.label: k for k, t in types.items()} | {k: k for k in types}
    out: list[dict[str, Any]] = []
    for part in text.replace("；", ";").split(";"):
        if not part.strip():
            continue
        name, _, since = part.replace("：", ":").partition(":")
        name, level = name.strip(), None
        if name.endswith(("）", ")")) and ("（" in name or "(" in name):
            name, level_label = name.replace("（", "(").rstrip("）)").split("(", 1)
            level = ref.find_by_label(ref.levels(), level_label)
        code = labels.get(name.strip())
        if code is None:
            raise ValueError(f"未知的企业标签“{name}”")
        start = parse_date_cell(since.strip()) if since.strip() else None
        if start is None:
            raise ValueError(f"标签“{name}”缺少认定日期，请写成 名称:2023-11-01")
        end = date(start.year + types[code].valid_years, start.month, min(start.day, 28)) - timedelta(days=1)
        out.append({"tag": code, "level": level, "valid_from": start, "valid_to": end, "source": "导入"})
    return out


def _facts(row: dict[str, object], errors: list[tuple[str, str]]) -> list[dict[str, Any]]:
    cells = {h: cell_text(row.get(h)) for h in FACT_COLUMNS if cell_text(row.get(h))}
    if not cells:
        return []
    year_text, source = cell_text(row.get(YEAR_COLUMN)), cell_text(row.get(SOURCE_COLUMN)) or "导入"
    if not year_text.isdigit() or not 1949 <= int(year_text) <= 2100:
        errors.append((YEAR_COLUMN, "填写了数据项时必须填写数据年度（如 2024）"))
        return []
    facts = []
    for header, cell in cells.items():
        kind, money = FACT_COLUMNS[header]
        try:
            value = _money_fen(cell) if money else _count(cell)
        except ValueError as exc:
            errors.append((header, str(exc) or "应为数字"))
            continue
        except ArithmeticError:
            errors.append((header, "数值超出允许范围"))
            continue
        facts.append(
            {
                "kind": kind,
                "year": int(year_text),
                "value": value,
                "currency": "CNY" if money else None,
                "source": source,
            }
        )
    return facts


def parse_row(row: dict[str, object]) -> tuple[ParsedRow | None, list[tuple[str, str]]]:
    """Validate one row; returns the parsed row or the (column, message) errors."""
    errors: list[tuple[str, str]] = []
    for name in REQUIRED:
        if not cell_text(row.get(name)):
            errors.append((name, "必填项为空"))
    data: dict[str, Any] = {f: cell_text(row.get(h)) for h, f in COLUMNS.items() if cell_text(row.get(h))}
    try:
        data["established"] = parse_date_cell(row.get("成立日期"))
    except ValueError as exc:
        errors.append(("成立日期", str(exc)))
        data.pop("established", None)
    tags: list[dict[str, Any]] = []
    try:
        tags = _tags(cell_text(row.get(TAG_COLUMN)))
    except ValueError as exc:
        errors.append((TAG_COLUMN, str(exc)))
    facts = _facts(row, errors)
    if errors and any(c in REQUIRED for c, _ in errors):
        return None, errors
    org, org_errors = _validate_org(data)
    errors.extend(org_errors)
    return (ParsedRow(org, tags, facts) if org and not errors else None), errors


_FIELD_HEADERS = {f: h for h, f in COLUMNS.items()}


def _validate_org(data: dict[str, Any]) -> tuple[OrgCreate | None, list[tuple[str, str]]]:
    try:
        return OrgCreate.model_validate(data), []
    except ValidationError as exc:
        return None, [(_FIELD_HEADERS.get(k, "机构信息"), v) for k, v in chinese_errors(exc).items()]


def _existing(session: Session, codes: list[str]) -> set[str]:
    return set(session.scalars(select(Organisation.uscc).where(Organisation.uscc.in_(codes))))


def validate_file(
    session: Session, path: Path, *, max_bytes: int, spool: IO[bytes] | None = None
) -> ImportReport:
    """Pass one: every row checked; duplicates within the file and against the database found.

    Valid rows are pickled to ``spool`` (a temporary file) so pass two need not parse again.
    """
    report = ImportReport()
    seen: dict[str, int] = {}
    pending: list[tuple[int, str]] = []

    def flush_pending() -> None:
        for code in _existing(session, [c for _, c in pending]):
            for line, c in pending:
                if c == code:
                    report.add(line, "统一社会信用代码", f"{code} 已在系统中登记")
        pending.clear()

    for line, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        parsed, errors = parse_row(row)
        for column, message in errors:
            report.add(line, column, message)
        if parsed is None:
            continue
        code = parsed.org.uscc
        if code in seen:
            report.add(line, "统一社会信用代码", f"{code} 与第 {seen[code]} 行重复")
            continue
        seen[code] = line
        pending.append((line, code))
        if spool is not None and report.ok:
            pickle.dump(parsed, spool, protocol=pickle.HIGHEST_PROTOCOL)
        if len(pending) >= BATCH:
            flush_pending()
    flush_pending()
    if report.rows == 0:
        report.add(1, "", "文件中没有数据行")
    return report


def _write_batch(session: Session, actor: Actor, batch: list[ParsedRow]) -> int:
    """Core-level inserts (no ORM bookkeeping): organisations, then their tags, facts and audit rows."""
    conn = session.connection()
    now = utcnow()
    values = []
    for p in batch:
        fields = p.org.model_dump(exclude={"former_names"})
        values.append(
            {
                **fields,
                "former_names": "\n".join(p.org.former_names),
                "created_at": now,
                "updated_at": now,
                "search_text": search_text(p.org.name, p.org.former_names),
                "name_pinyin": name_search.pinyin_key(p.org.name),
                "version": 1,
            }
        )
    org_table = cast(Table, Organisation.__table__)
    rows = conn.execute(insert(org_table).returning(org_table.c.id, org_table.c.uscc), values).all()
    ids = {uscc: id_ for id_, uscc in rows}
    name_search.reindex(session, [(ids[v["uscc"]], v["search_text"]) for v in values])
    tags = [
        {**t, "org_id": ids[p.org.uscc], "certificate_no": t.get("certificate_no", "")}
        for p in batch
        for t in p.tags
    ]
    facts = [{**f, "org_id": ids[p.org.uscc], "recorded_at": now} for p in batch for f in p.facts]
    append_rows(session, OrgTag, tags)
    append_rows(session, OrgFact, facts)
    changes = [
        audit.Change("registry.org.import", "org", p.org.uscc, None, p.org.model_dump(), "批量导入")
        for p in batch
    ]
    audit.record_many(session, actor=actor, changes=changes)
    return len(batch)


def write_rows(session: Session, *, actor: Actor, rows: Iterable[ParsedRow]) -> int:
    """Write already-validated rows in batches (used by the import and the demo seeder)."""
    created, batch = 0, []
    for parsed in rows:
        batch.append(parsed)
        if len(batch) >= BATCH:
            created += _write_batch(session, actor, batch)
            batch = []
    return created + (_write_batch(session, actor, batch) if batch else 0)


def _spooled(spool: IO[bytes]) -> Iterator[ParsedRow]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def run_import(session: Session, *, actor: Actor, path: Path, max_bytes: int) -> ImportReport:
    """Validate the whole file; write nothing if any row is bad, else write every row."""
    with tempfile.TemporaryFile() as spool:
        report = check_file(session, actor=actor, path=path, max_bytes=max_bytes, spool=spool)
        if report.ok:
            report.created = write_checked(session, actor=actor, spool=spool)
    return report


def check_file(
    session: Session, *, actor: Actor, path: Path, max_bytes: int, spool: IO[bytes]
) -> ImportReport:
    """Pass one, reading only: the web edge runs it in a read transaction, so a long file
    holds no write lock while it is checked."""
    require(actor, perm.ORG_IMPORT)
    return validate_file(session, path, max_bytes=max_bytes, spool=spool)


def write_checked(session: Session, *, actor: Actor, spool: IO[bytes]) -> int:
    """Pass two: write the rows :func:`check_file` spooled, in batches, in ``session``'s transaction.

    A code someone registered since the check is a conflict, and nothing is written.
    """
    try:
        created = write_rows(session, actor=actor, rows=_in_scope(actor, _spooled(spool)))
    except IntegrityError:
        raise Conflict(
            "导入期间有机构已被他人登记，本次未导入任何数据，请重新导入。", code="registry.import_conflict"
        ) from None
    if created >= ANALYZE_AFTER:
        refresh_statistics(session)
    return created


ANALYZE_AFTER = 5000


def refresh_statistics(session: Session) -> None:
    """After a large load, let the query planner see the new row counts (else it guesses badly)."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("ANALYZE"))
    else:
        session.execute(text("ANALYZE registry_org, registry_tag, registry_fact"))


def _in_scope(actor: Actor, rows: Iterable[ParsedRow]) -> Iterator[ParsedRow]:
    for parsed in rows:
        if actor.district is not None and parsed.org.district != actor.district:
            require(actor, perm.ORG_IMPORT, Proposed(parsed.org.uscc, parsed.org.district))
        yield parsed


def fact_value(kind: str, text: str) -> str:
    """A fact typed in a form: money in 万元 (or with its own unit) → fen; counts as they are."""
    kinds = ref.fact_kinds()
    code = ref.find_by_label({k: f.label for k, f in kinds.items()}, kind)
    if code is None or not text.strip():
        return text
    try:
        return str(_money_fen(text) if kinds[code].unit == "fen" else _count(text))
    except (ValueError, ArithmeticError) as exc:
        reason = str(exc) if isinstance(exc, ValueError) else "数值超出允许范围"
        raise ValidationFailed(
            f"数值“{text}”有误：{reason}", code="registry.invalid", details={"value": reason}
        ) from None
