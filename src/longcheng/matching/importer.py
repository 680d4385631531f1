"""Capability import from XLSX: one sheet, a header row in Chinese, all-or-nothing.

Every row is validated first; any bad row (a field, an unknown kind, a USCC, a duplicate title
for one organisation in the file or already stored) stops the import and is reported by row
number; nothing is written.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from pydantic import ValidationError
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.errors import ValidationFailed
from longcheng.core.validation import chinese_errors, field_label
from longcheng.matching.capabilities import service
from longcheng.matching.capabilities.models import Capability
from longcheng.matching.capabilities.schemas import CapabilityIn

HEADERS = {
    "成果名称": "title",
    "类型": "kind",
    "技术领域": "field",
    "技术成熟度": "trl",
    "关键词": "keywords",
    "简介": "description",
    "联系人": "contact",
    "单位统一社会信用代码": "org_uscc",
    "单位名称": "org_name",
}
MAX_ROWS = 20_000


def template_xlsx() -> bytes:
    """An empty template with the header row."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "成果"
    sheet.append(list(HEADERS))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets one Chinese message
        raise ValidationFailed(
            "无法读取该文件，请上传 .xlsx 格式的成果表。", code="matching.capability_import_invalid"
        ) from exc
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(lines, ())]
    missing = [name for name in ("成果名称", "单位统一社会信用代码", "单位名称") if name not in header]
    if missing:
        raise ValidationFailed("表头缺少：" + "、".join(missing), code="matching.capability_import_invalid")
    out = []
    for number, values in enumerate(lines, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {
            HEADERS[h]: v
            for h, v in zip(header, values, strict=False)
            if h in HEADERS and v not in (None, "")
        }
        out.append((number, row))
        if len(out) > MAX_ROWS:
            raise ValidationFailed(f"一次最多导入 {MAX_ROWS} 行。", code="matching.capability_import_invalid")
    return out


def _row_no(item: tuple[str, str]) -> int:
    return int(item[0].strip("第行"))


def run_import(session: Session, *, actor: Actor, path: Path) -> list[Capability]:
    """Validate every row, then write them all (or raise with the row errors)."""
    parsed: list[tuple[int, CapabilityIn]] = []
    errors: dict[str, str] = {}
    for number, row in _rows(path):
        try:
            parsed.append(
                (
                    number,
                    CapabilityIn.model_validate({k: str(v) if k != "trl" else v for k, v in row.items()}),
                )
            )
        except ValidationError as exc:
            problems = chinese_errors(exc)
            errors[f"第{number}行"] = "；".join(f"{field_label(k)}：{v}" for k, v in problems.items())
    errors = dict(
        sorted((errors | service.row_problems(session, actor=actor, rows=parsed)).items(), key=_row_no)
    )
    if errors:
        raise ValidationFailed(
            f"导入未执行：{len(errors)} 行有误，请修改后重新导入（未写入任何数据）。",
            code="matching.capability_import_invalid",
            details=errors,
        )
    if not parsed:
        raise ValidationFailed("文件中没有成果数据。", code="matching.capability_import_invalid")
    return service.import_rows(session, actor=actor, rows=parsed)
