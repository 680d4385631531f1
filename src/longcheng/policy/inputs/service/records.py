"""Policy-owned inputs: what the registry does not hold, imported from the paying departments.

One row per firm and year; one column per input (money in 元 as typed — ``500000``,
``50万``, ``1,234.56`` — and 是/否 for yes/no). An empty cell leaves that input as it is.
The whole file is validated first (USCC check digit, firm registered, in the importer's
district, year within the policy, each value readable, no firm-year twice); any error writes
nothing and every bad cell is reported with its line and column. Each firm-year written is one
audit record on the firm with the values before and after.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import Proposed, can, require
from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.paging import Page, paginate
from longcheng.core.tabular import RowReport, cell_text, iter_rows
from longcheng.policy import permissions as perm
from longcheng.policy.engine.compiler import VarSpec
from longcheng.policy.engine.errors import PolicyError
from longcheng.policy.engine.inputs import parse_value
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.rules import Kind
from longcheng.policy.inputs.service.sources import importable_variables
from longcheng.policy.models import InputRecord
from longcheng.policy.service import check_period, get_pack
from longcheng.registry import service as registry_service

USCC_HEADER, YEAR_HEADER, SOURCE_HEADER = "统一社会信用代码", "年度", "数据来源"


@dataclass
class InputReport(RowReport):
    written: int = 0


@dataclass
class ParsedInput:
    line: int
    uscc: str
    year: int
    values: dict[str, int]
    source: str


def header_of(spec: VarSpec) -> str:
    """The template's column header for a variable: its label with the unit."""
    unit = {Kind.MONEY: "（元）", Kind.BOOL: "（是/否）"}.get(spec.type.kind, "")
    return f"{spec.label}{unit}"


def template_headers(pack: Pack) -> list[str]:
    return [USCC_HEADER, YEAR_HEADER, *(header_of(s) for s in importable_variables(pack)), SOURCE_HEADER]


def template_xlsx(pack: Pack | None = None) -> bytes:
    """The import template: Chinese headers, one fictional example row, and a notes sheet."""
    pack = pack or get_pack()
    wb = Workbook()
    ws = wb.active
    ws.title = "政策数据导入"
    ws.append(template_headers(pack))
    example: list[Any] = ["91320411MA1XXXXXX5", pack.effective_to.year if pack.effective_to else 2025]
    example += ["500000" if s.type.kind is Kind.MONEY else "否" for s in importable_variables(pack)]
    ws.append([*example, "示例：市科技局拨付台账"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    notes = wb.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for spec in importable_variables(pack):
        notes.append([header_of(spec), spec.label])
    notes.append(["金额", "以元为单位，可写 500000、50万、1,234.56；不接受 1.2e8 这类科学计数法"])
    notes.append(["空单元格", "该项保持不变；要清零请填 0 或“否”"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _parse_row(pack: Pack, line: int, row: dict[str, object], report: InputReport) -> ParsedInput | None:
    errors_before = report.error_count
    code = normalise_uscc(cell_text(row.get(USCC_HEADER)))
    problem = uscc_problem(code) if code else None
    if not code or problem is not None:
        report.add(line, USCC_HEADER, problem.message if problem else "必填项为空")
    year_text = cell_text(row.get(YEAR_HEADER))
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else 0
    if not year:
        report.add(line, YEAR_HEADER, "年度应为四位数字，如 2025" if year_text else "必填项为空")
    else:
        try:
            check_period(pack, Period(year))
        except PolicyError as exc:
            report.add(line, YEAR_HEADER, exc.message_text)
    values: dict[str, int] = {}
    for spec in importable_variables(pack):
        text = cell_text(row.get(header_of(spec)))
        if not text:
            continue
        try:
            values[spec.name] = int(parse_value(spec, text, header_of(spec)))
        except PolicyError as exc:
            report.add(line, header_of(spec), exc.message_text)
    if report.error_count > errors_before:
        return None
    source = cell_text(row.get(SOURCE_HEADER))[:200] or "政策数据导入"
    return ParsedInput(line, code, year, values, source)


def validate_file(
    session: Session, *, actor: Actor, path: Path, max_bytes: int
) -> tuple[InputReport, list[ParsedInput]]:
    """Pass one: every row and cell checked; nothing written."""
    pack = get_pack()
    report, parsed = InputReport(), []
    seen: dict[tuple[str, int], int] = {}
    for line, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        item = _parse_row(pack, line, row, report)
        if item is None:
            continue
        key = (item.uscc, item.year)
        if key in seen:
            report.add(line, USCC_HEADER, f"{item.uscc} 的 {item.year} 年度数据与第 {seen[key]} 行重复")
            continue
        seen[key] = line
        parsed.append(item)
    if report.rows == 0:
        report.add(1, "", "文件中没有数据行")
    _check_firms(session, actor, parsed, report)
    return report, parsed


def _check_firms(session: Session, actor: Actor, parsed: list[ParsedInput], report: InputReport) -> None:
    orgs = registry_service.get_many_by_uscc(session, actor=actor, usccs=[p.uscc for p in parsed])
    for item in parsed:
        org = orgs.get(item.uscc)
        if org is None:
            report.add(item.line, USCC_HEADER, f"{item.uscc} 未在一企一档中登记")
        elif not can(actor, perm.INPUT_IMPORT, Proposed(org.uscc, org.district)):
            report.add(item.line, USCC_HEADER, f"{item.uscc} 不在您所辖区域内，无权导入")


def run_import(session: Session, *, actor: Actor, path: Path, max_bytes: int) -> InputReport:
    """Validate the whole file; write nothing if any cell is bad, else write every row."""
    require(actor, perm.INPUT_IMPORT)
    report, parsed = validate_file(session, actor=actor, path=path, max_bytes=max_bytes)
    if report.ok:
        report.written = write_inputs(session, actor=actor, rows=parsed)
    return report


def write_inputs(session: Session, *, actor: Actor, rows: Iterable[ParsedInput]) -> int:
    """Upsert validated rows; one audit record per firm-year with the values before and after."""
    items = list(rows)
    orgs = registry_service.get_many_by_uscc(session, actor=actor, usccs=[p.uscc for p in items])
    changes = []
    for item in items:
        existing = {
            r.name: r
            for r in session.scalars(
                select(InputRecord).where(InputRecord.uscc == item.uscc, InputRecord.year == item.year)
            )
        }
        before = {name: r.value for name, r in existing.items() if name in item.values}
        for name, value in item.values.items():
            record = existing.get(name)
            if record is None:
                record = InputRecord(uscc=item.uscc, year=item.year, name=name)
                session.add(record)
            record.value, record.source, record.recorded_by = value, item.source, actor.label
            record.district = orgs[item.uscc].district if item.uscc in orgs else None
        reason = f"{item.year} 年度政策数据导入（{item.source}）"
        changes.append(audit.Change("policy.input.import", "org", item.uscc, before, item.values, reason))
    session.flush()
    audit.record_many(session, actor=actor, changes=changes)
    return len(items)


def list_inputs(
    session: Session,
    *,
    actor: Actor,
    year: int | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> Page[InputRecord]:
    """The stored input records in the actor's scope, newest first."""
    require(actor, perm.INPUT_READ)
    conds = [perm.district_filter(actor, InputRecord.district)]
    if year:
        conds.append(InputRecord.year == year)
    if q:
        conds.append(InputRecord.uscc == normalise_uscc(q))
    stmt = select(InputRecord).where(*conds).order_by(InputRecord.id.desc())
    count = select(func.count(InputRecord.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)
