"""Projects in and out of Excel: the import template, the all-or-nothing import, the list export.

Import and export share one set of Chinese columns (:data:`COLUMNS`), so an exported list can be
corrected in Excel and imported as new projects elsewhere. Pass one reads the whole file through
``core.tabular`` and checks every row (places, lists, stages, dates in order, amounts, investors
registered in the registry, duplicate codes); pass two writes only when nothing was wrong, each
project through ``service.create`` (audited, plan laid out). Merged cells are refused: Excel
keeps a merged value in its first cell only, so the other rows or columns would silently go blank.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import local_today, to_local
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.core.tabular import (
    ImportFileError,
    RowReport,
    cell_text,
    iter_rows,
    parse_date_cell,
    sniff_kind,
)
from longcheng.core.validation import chinese_errors
from longcheng.projects import permissions as perm
from longcheng.projects import service
from longcheng.projects.models import Project
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage, date_order_issues
from longcheng.projects.schemas import ProjectCreate
from longcheng.projects.vocab import programmes, project_types
from longcheng.registry import reference as ref
from longcheng.registry import service as registry_service

STAGE_DATE_HEADERS = {f"{s.label}日期": f"{s.value}_on" for s in STAGE_ORDER}
COLUMNS: dict[str, str] = {
    "项目编号": "code",
    "项目名称": "name",
    "项目类型": "project_type",
    "所属地区": "district",
    "所在园区": "park",
    "行业代码": "industry",
    "所属清单": "lists",
    "合作机制": "cooperation",
    "合作地区": "partner_region",
    "投资方统一社会信用代码": "investor_usccs",
    "投资方名称": "investor_names",
    "币种": "currency",
    "协议投资（万元）": "agreed_investment",
    "总投资（万元）": "total_investment",
    "用地面积（亩）": "land_mu",
    "建筑面积（平方米）": "floor_area_m2",
    "预计年产值（万元）": "expected_output",
    "预计年税收（万元）": "expected_tax",
    "预计新增就业（人）": "expected_jobs",
    "当前阶段": "stage",
    **STAGE_DATE_HEADERS,
    "挂钩领导": "leader_name",
    "责任单位": "responsible_unit",
    "专班成员": "task_force",
    "联系人": "contact",
    "联系电话": "phone",
    "项目简介": "summary",
}
HEADERS = list(COLUMNS)
REQUIRED = ("项目名称", "所属地区")
EXPORT_ONLY = ["状态灯", "灯色原因", "数据提示", "版本", "最后更新"]
_FIELD_HEADERS = {f: h for h, f in COLUMNS.items()}
_MERGE_RE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


@dataclass
class ImportReport(RowReport):
    created: int = 0
    codes: list[str] = field(default_factory=list)


def _split(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;；\n]", text) if p.strip()]


def merged_ranges(path: Path) -> list[tuple[str, int]]:
    """Merged ranges of the first sheet of an XLSX file as (``A1:C1``, first row)."""
    if sniff_kind(path) != "xlsx":
        return []
    with zipfile.ZipFile(path) as zf:
        sheets = sorted(n for n in zf.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
        if not sheets:
            return []
        first = min(sheets, key=lambda n: int(re.findall(r"\d+", n)[-1]))
        data = zf.read(first)
    return [
        (f"{a.decode()}{r1.decode()}:{b.decode()}{r2.decode()}", int(r1))
        for a, r1, b, r2 in _MERGE_RE.findall(data)
    ]


def refuse_merged(path: Path) -> None:
    ranges = merged_ranges(path)
    if not ranges:
        return
    in_header = [r for r, row in ranges if row == 1]
    if in_header:
        raise ImportFileError(
            f"表头有合并单元格（{'、'.join(in_header[:5])}）：请取消合并，每列只写一个列名，"
            "或使用下载的导入模板。未导入任何数据。",
            code="import.merged_header",
        )
    raise ImportFileError(
        f"表格中有合并单元格（{'、'.join(r for r, _ in ranges[:5])}）：合并后只有第一格有值，"
        "请取消合并并逐行填写。未导入任何数据。",
        code="import.merged_cells",
    )


def _row_data(row: dict[str, object]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    for header, name in COLUMNS.items():
        if header in STAGE_DATE_HEADERS.keys():
            try:
                data[name] = parse_date_cell(row.get(header))
            except ValueError as exc:
                errors.append((header, str(exc)))
        elif cell_text(row.get(header)):
            data[name] = cell_text(row.get(header))
    usccs, names = _split(data.pop("investor_usccs", "")), _split(data.pop("investor_names", ""))
    if usccs and names and len(usccs) != len(names):
        errors.append(("投资方名称", "投资方名称与统一社会信用代码的个数不一致（以；分隔、一一对应）"))
    count = max(len(usccs), len(names))
    data["investors"] = [
        {"uscc": usccs[i] if i < len(usccs) else None, "name": names[i] if i < len(names) else None}
        for i in range(count)
    ]
    data["task_force"] = [{"name": n} for n in _split(data.pop("task_force", ""))]
    contact, phone = data.pop("contact", ""), data.pop("phone", "")
    data["contacts"] = [{"name": contact, "phone": phone}] if contact else []
    return data, errors


def parse_row(row: dict[str, object]) -> tuple[ProjectCreate | None, list[tuple[str, str]]]:
    """One row checked; the project to create, or the (column, message) errors."""
    data, errors = _row_data(row)
    errors += [(h, "必填项为空") for h in REQUIRED if not cell_text(row.get(h))]
    try:
        parsed = ProjectCreate.model_validate(data)
    except ValidationError as exc:
        for key, message in chinese_errors(exc).items():
            errors.append((_FIELD_HEADERS.get(key.split(".")[0], "项目信息"), message))
        return None, errors
    for issue in date_order_issues(parsed.stage_dates(), current=parsed.stage, today=local_today()):
        errors.append((f"{issue.stage.label}日期", issue.message))
    if parsed.stage.rank >= Stage.signed.rank and parsed.stage not in parsed.stage_dates():
        errors.append((f"{parsed.stage.label}日期", f"当前阶段为“{parsed.stage.label}”，须填写该阶段日期"))
    return (None if errors else parsed), errors


def _check_rows(
    session: Session, actor: Actor, parsed: list[tuple[int, ProjectCreate]], report: ImportReport
) -> None:
    """Checks across rows and against the database: codes, investors, the officer's district."""
    seen: dict[str, int] = {}
    for line, p in parsed:
        if p.code:
            if p.code.upper() in seen:
                report.add(line, "项目编号", f"与第 {seen[p.code.upper()]} 行重复")
            seen[p.code.upper()] = line
        if actor.role is Role.officer and actor.district is not None and p.district != actor.district:
            report.add(line, "所属地区", "区工作人员只能导入本区的项目")
    taken = set(session.scalars(select(Project.code).where(Project.code.in_(list(seen))))) if seen else set()
    usccs = {i.uscc for _, p in parsed for i in p.investors if i.uscc}
    known = registry_service.get_many_by_uscc(session, actor=actor, usccs=usccs) if usccs else {}
    for line, p in parsed:
        if p.code and p.code.upper() in taken:
            report.add(line, "项目编号", f"{p.code} 已在系统中登记")
        for inv in p.investors:
            if inv.uscc and inv.uscc not in known:
                report.add(line, "投资方统一社会信用代码", f"{inv.uscc} 未在一企一档中登记")


def validate_file(
    session: Session, *, actor: Actor, path: Path, max_bytes: int
) -> tuple[ImportReport, list[ProjectCreate]]:
    """Pass one: every row checked; nothing written."""
    refuse_merged(path)
    report, parsed = ImportReport(), []
    unknown_checked = False
    for line, row in iter_rows(path, max_bytes=max_bytes):
        if not unknown_checked:
            unknown = [h for h in row if h not in COLUMNS and h not in EXPORT_ONLY]
            if unknown:
                raise ImportFileError(
                    f"不认识的列：{'、'.join(unknown)}。请使用下载的导入模板。", code="import.unknown_columns"
                )
            unknown_checked = True
        report.rows += 1
        project, errors = parse_row(row)
        for column, message in errors:
            report.add(line, column, message)
        if project is not None:
            parsed.append((line, project))
    if report.rows == 0:
        report.add(1, "", "文件中没有数据行")
    _check_rows(session, actor, parsed, report)
    return report, [p for _, p in parsed]


def run_import(session: Session, *, actor: Actor, path: Path, max_bytes: int) -> ImportReport:
    """Validate the whole file; write nothing if any row is bad, else create every project."""
    require(actor, perm.PROJECT_IMPORT)
    report, rows = validate_file(session, actor=actor, path=path, max_bytes=max_bytes)
    if report.ok:
        for data in rows:
            project = service.create(session, actor=actor, data=data, source="import")
            report.codes.append(project.code)
        report.created = len(rows)
    return report


def template_xlsx() -> bytes:
    """The import template: Chinese headers, one fictional example row, and a sheet of notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目导入"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    example = {
        "项目名称": "年产5GWh储能电池项目（示例）",
        "项目类型": "工业制造项目",
        "所属地区": "新北区",
        "所在园区": "常州国家高新区",
        "行业代码": "3841",
        "所属清单": "市重大；532",
        "投资方名称": "常州示例新能源有限公司",
        "币种": "CNY",
        "协议投资（万元）": "200000",
        "总投资（万元）": "210000",
        "用地面积（亩）": "150",
        "预计年产值（万元）": "500000",
        "预计新增就业（人）": "800",
        "当前阶段": "签约",
        "签约日期": "2026-05-18",
        "挂钩领导": "（示例）副区长",
        "责任单位": "新北区商务局",
        "联系人": "（示例）王先生",
        "联系电话": "0519-00000000",
    }
    ws.append([example.get(h, "") for h in HEADERS])
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    for line in _notes():
        notes.append([line])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _notes() -> Iterable[str]:
    yield "1. 第一行为表头，请勿修改、合并或删除列名；从第二行起每行一个项目，不要合并单元格。"
    yield "2. 必填：项目名称、所属地区。项目编号留空时自动生成。"
    yield f"3. 所属地区：{'、'.join(p.name for p in ref.districts())}；所在园区须属于所填地区。"
    yield f"4. 项目类型：{'、'.join(project_types().values())}。"
    yield f"5. 合作机制：{'、'.join(p.name for p in programmes().values())}（可空）。"
    yield "6. 金额单位为万元（外币项目为万外币单位，并填写币种，如 USD）；也可写 3.5亿元、10亿美元。"
    yield "7. 多个清单、投资方、专班成员用“；”分隔。"
    yield "   投资方统一社会信用代码须已在一企一档登记，并与名称一一对应。"
    yield f"8. 当前阶段：{'、'.join(s.label for s in STAGE_ORDER)}。"
    yield "   签约及以后的阶段须填写该阶段日期，各阶段日期须先后有序。"
    yield "9. 任何一行有误时整个文件都不会导入，并列出所有错误行。"


def export_rows(projects: Iterable[Project]) -> Iterator[list[Cell]]:
    """The rows of the list export: the import columns, then light, reasons, warnings, version."""
    types = project_types()
    coop = {c: p.name for c, p in programmes().items()}
    for p in projects:
        task = [x.name for x in p.people if x.kind == "task_force"]
        contact = next((x for x in p.people if x.kind == "contact"), None)
        values: dict[str, Cell] = {
            "项目编号": p.code,
            "项目名称": p.name,
            "项目类型": types.get(p.project_type, p.project_type),
            "所属地区": _place(p.district),
            "所在园区": _place(p.park),
            "行业代码": p.industry,
            "所属清单": "；".join(p.list_names),
            "合作机制": coop.get(p.cooperation or "", ""),
            "合作地区": p.partner_region,
            "投资方统一社会信用代码": "；".join(i.uscc or "" for i in p.investors),
            "投资方名称": "；".join(i.name for i in p.investors),
            "币种": p.currency,
            "协议投资（万元）": _wan(p.stated_agreed),
            "总投资（万元）": _wan(p.stated_total),
            "用地面积（亩）": p.land_centi_mu / 100 if p.land_centi_mu is not None else None,
            "建筑面积（平方米）": p.floor_area_m2,
            "预计年产值（万元）": _wan(p.expected_output_fen),
            "预计年税收（万元）": _wan(p.expected_tax_fen),
            "预计新增就业（人）": p.expected_jobs,
            "当前阶段": p.stage_enum.label,
            "挂钩领导": p.leader_name,
            "责任单位": p.responsible_unit,
            "专班成员": "；".join(task),
            "联系人": contact.name if contact else "",
            "联系电话": contact.phone if contact else "",
            "项目简介": p.summary,
            **{h: getattr(p, f) for h, f in STAGE_DATE_HEADERS.items()},
        }
        extra: list[Cell] = [
            {"red": "红灯", "yellow": "黄灯"}.get(p.light, "绿灯"),
            "；".join(p.reason_list),
            "；".join(p.warning_list),
            p.version,
            to_local(p.updated_at).replace(tzinfo=None),
        ]
        yield [values.get(h) for h in HEADERS] + extra


def export_xlsx(projects: Iterable[Project]) -> bytes:
    return write_xlsx("重大项目", [*HEADERS, *EXPORT_ONLY], export_rows(projects))


def _place(code: str | None) -> str:
    return ref.places()[code].name if code and code in ref.places() else ""


def _wan(fen: int | None) -> float | None:
    return None if fen is None else fen / 1_000_000
