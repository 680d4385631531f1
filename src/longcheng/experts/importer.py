"""Import experts from XLSX/CSV, all or nothing: every bad row is listed and nothing is written.

Columns are those of the export (without 专家编号), plus an optional 身份证号码 (stored
encrypted). 评审领域 accepts codes, labels and synonyms separated by 、 or ，; 曾任职单位 lists
``信用代码@离职日期`` separated by ；.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import LongchengError
from longcheng.core.tabular import RowReport, cell_text, iter_rows, parse_date_cell
from longcheng.core.validation import chinese_errors, field_label
from longcheng.experts import permissions as perm
from longcheng.experts.export import HEADERS
from longcheng.experts.schemas import ExpertIn
from longcheng.experts.service import pool

MAX_ROWS = 5000
_COLUMNS = {
    "姓名": "name",
    "身份证号码": "resident_id",
    "职称": "title",
    "任职单位": "employer_name",
    "任职单位信用代码": "employer_uscc",
    "评审领域": "fields",
    "电话": "phone",
    "邮箱": "email",
}
_STATUS = {"在库可用": "active", "暂不可用": "away", "": "active", "active": "active", "away": "away"}


def _former(text: str) -> list[dict[str, Any]]:
    out = []
    for part in (p.strip() for p in text.replace(";", "；").split("；")):
        if not part:
            continue
        uscc, _, ended = part.partition("@")
        out.append({"uscc": uscc.strip(), "ended_on": parse_date_cell(ended.strip())})
    return out


def _row_data(cells: dict[str, object]) -> dict[str, Any]:
    data: dict[str, Any] = {key: cell_text(cells.get(col)) for col, key in _COLUMNS.items()}
    status = cell_text(cells.get("状态"))
    if status not in _STATUS:
        raise ValueError("状态须为“在库可用”或“暂不可用”")
    data["status"] = _STATUS[status]
    data["former_employers"] = _former(cell_text(cells.get("曾任职单位")))
    return data


def read(path: Path, *, max_bytes: int) -> tuple[list[ExpertIn], RowReport]:
    report = RowReport()
    parsed: list[ExpertIn] = []
    for line, cells in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.add(line, "", f"一次最多导入 {MAX_ROWS} 行")
            break
        try:
            parsed.append(ExpertIn.model_validate(_row_data(cells)))
        except ValidationError as exc:
            for field, message in chinese_errors(exc).items():
                report.add(line, field_label(field) or "", message)
        except ValueError as exc:
            report.add(line, "", str(exc))
    return parsed, report


def import_file(session: Session, *, actor: Actor, path: Path, max_bytes: int) -> tuple[int, RowReport]:
    """Create every expert in the file, or none when any row is refused (``report.ok`` False)."""
    require(actor, perm.IMPORT)
    parsed, report = read(path, max_bytes=max_bytes)
    if not report.ok:
        return 0, report
    if not parsed:
        raise LongchengError("文件中没有专家数据。", code="experts.import_empty", status=422)
    for data in parsed:
        pool.create(session, actor=actor, data=data)
    return len(parsed), report


__all__ = ["HEADERS", "import_file", "read"]
