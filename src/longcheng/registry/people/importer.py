"""Import people and holders from XLSX or CSV: all or nothing, every bad row listed.

One row per person or holder; the rows of one organisation replace its list. Columns:
统一社会信用代码, 角色 (法定代表人/股东/董事/监事), 姓名或名称, 身份证号 (optional),
股东统一社会信用代码 (a corporate shareholder), 持股比例 (per cent), 起始日期.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.errors import LongchengError
from longcheng.core.ids import normalise_uscc
from longcheng.core.tabular import RowReport, cell_text, iter_rows, parse_date_cell
from longcheng.core.validation import message_for
from longcheng.registry.models import Organisation
from longcheng.registry.people import service
from longcheng.registry.people.schemas import ROLE_BY_LABEL, OrgPersonIn

HEADERS = [
    "统一社会信用代码",
    "角色",
    "姓名或名称",
    "身份证号",
    "股东统一社会信用代码",
    "持股比例",
    "起始日期",
]
FIELDS = {"身份证号": "id_number", "股东统一社会信用代码": "holder_uscc", "持股比例": "share_ratio"}


def _parse(line: int, row: dict[str, object], report: RowReport) -> tuple[str, OrgPersonIn] | None:
    uscc = normalise_uscc(cell_text(row.get("统一社会信用代码")))
    role = ROLE_BY_LABEL.get(cell_text(row.get("角色")))
    if not uscc:
        report.add(line, "统一社会信用代码", "不能为空")
    if role is None:
        report.add(line, "角色", "应为 " + "、".join(ROLE_BY_LABEL))
    try:
        since = parse_date_cell(row.get("起始日期"))
    except (ValueError, TypeError):
        report.add(line, "起始日期", "不是有效日期")
        return None
    data = {f: cell_text(row.get(h)) or None for h, f in FIELDS.items()}
    try:
        person = OrgPersonIn(
            role=role or "legal_rep", name=cell_text(row.get("姓名或名称")), since=since, **data
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else ""
            header = next((h for h, f in FIELDS.items() if f == field), "姓名或名称")
            report.add(line, header, message_for(err))
        return None
    return (uscc, person) if uscc and role else None


def _known(session: Session, codes: set[str]) -> set[str]:
    return set(session.scalars(select(Organisation.uscc).where(Organisation.uscc.in_(codes))))


def run_import(session: Session, *, actor: Actor, path: Path, max_bytes: int) -> RowReport:
    """Check every row, then replace each named firm's people; nothing is written when a row is bad."""
    report = RowReport()
    by_org: dict[str, list[OrgPersonIn]] = defaultdict(list)
    first_line: dict[str, int] = {}
    for line, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        parsed = _parse(line, row, report)
        if parsed:
            by_org[parsed[0]].append(parsed[1])
            first_line.setdefault(parsed[0], line)
    known = _known(session, set(by_org)) if by_org else set()
    for code in sorted(set(by_org) - known):
        report.add(first_line[code], "统一社会信用代码", f"机构 {code} 不在名录中")
    if not report.ok:
        return report
    for code, people in by_org.items():
        try:
            service.set_people(session, actor=actor, uscc=code, people=people)
        except LongchengError as exc:
            report.add(first_line[code], "统一社会信用代码", exc.message_text)
    return report
