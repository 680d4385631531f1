"""The bulletin as XLSX: a summary sheet, every project, one sheet per list, the red projects.

Written with openpyxl in write-only mode (rows stream to disk). Every project sheet has the
same columns in the same order (:data:`COLUMNS`, Chinese headers), a frozen header row and an
autofilter so officers can sort and filter; money is a number in 万元 with two decimals, dates
are real dates, so the sheet re-sorts correctly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from longcheng.projects.report.gather import (
    GroupRow,
    MonthlyReport,
    ReportProject,
    ReportSummary,
    by_investment,
    ordered_lists,
    summarize,
    summary_sentences,
    wan,
)
from longcheng.projects.schedule.lights import Light
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage

Kind = Literal["text", "money", "date", "int", "pct"]

SUMMARY_SHEET = "汇总"
ALL_SHEET = "全部项目"
RED_SHEET = "红灯项目"

_FORMATS: dict[Kind, str] = {
    "money": "#,##0.00",
    "date": "yyyy-mm-dd",
    "int": "0",
    "pct": "0.0",
    "text": "General",
}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A stable column of the project sheets: Chinese header, width, kind and value."""

    header: str
    width: float
    kind: Kind
    value: Callable[[ReportProject], Any]


def _pct(p: ReportProject) -> float | None:
    if p.annual_plan_fen <= 0:
        return None
    return round(p.completed_year_fen * 100 / p.annual_plan_fen, 1)


def _stage_date(stage: Stage) -> Column:
    return Column(f"{stage.label}日期", 11, "date", lambda p: p.stage_dates.get(stage))


COLUMNS: tuple[Column, ...] = (
    Column("项目编号", 14, "text", lambda p: p.code),
    Column("项目名称", 36, "text", lambda p: p.name),
    Column("投资方", 24, "text", lambda p: p.investor),
    Column("所属地区", 10, "text", lambda p: p.district),
    Column("所在园区", 18, "text", lambda p: p.park),
    Column("所属产业", 14, "text", lambda p: p.industry),
    Column("所属清单", 18, "text", lambda p: "、".join(p.lists)),
    Column("当前阶段", 8, "text", lambda p: p.stage.label),
    *(_stage_date(stage) for stage in STAGE_ORDER[STAGE_ORDER.index(Stage.signed) :]),
    Column("协议投资（万元）", 14, "money", lambda p: wan(p.agreed_investment_fen)),
    Column("总投资（万元）", 14, "money", lambda p: wan(p.total_investment_fen)),
    Column("年度计划投资（万元）", 14, "money", lambda p: wan(p.annual_plan_fen)),
    Column("本年完成投资（万元）", 14, "money", lambda p: wan(p.completed_year_fen)),
    Column("年度完成率（%）", 10, "pct", _pct),
    Column("状态灯", 8, "text", lambda p: p.light.label),
    Column("红灯原因", 48, "text", lambda p: "；".join(p.red_reasons)),
    Column("挂钩领导", 10, "text", lambda p: p.leader),
)
HEADERS: tuple[str, ...] = ("序号", *(c.header for c in COLUMNS))

GROUP_HEADERS: tuple[str, ...] = (
    "项目数",
    "本年签约",
    "本年开工",
    "本年竣工",
    "总投资（万元）",
    "年度计划投资（万元）",
    "本年完成投资（万元）",
    "红灯项目数",
)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title for a list name (≤31 characters, no []:*?/\\)."""
    base = _BAD_TITLE.sub("_", name).strip("'") or "清单"
    title, n = base[:31], 2
    while title in taken:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _header_row(ws: Any, headers: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        cells.append(cell)
    return cells


def _styled_cells(ws: Any, kinds: Sequence[Kind]) -> list[WriteOnlyCell | None]:
    """One reusable styled cell per non-text column (rows are serialised on append)."""
    cells: list[WriteOnlyCell | None] = []
    for kind in kinds:
        if kind == "text":
            cells.append(None)
            continue
        cell = WriteOnlyCell(ws)
        cell.number_format = _FORMATS[kind]
        cells.append(cell)
    return cells


def _write_projects(wb: Workbook, title: str, projects: Sequence[ReportProject]) -> None:
    ws = wb.create_sheet(title)
    ws.freeze_panes = "C2"
    widths = (6, *(c.width for c in COLUMNS))
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.append(_header_row(ws, HEADERS))
    styled = _styled_cells(ws, ("int", *(c.kind for c in COLUMNS)))
    for number, project in enumerate(projects, 1):
        row: list[Any] = []
        values = [number, *(c.value(project) for c in COLUMNS)]
        for value, cell in zip(values, styled, strict=True):
            if cell is None or value is None:
                row.append(value if value != "" else None)
            else:
                cell.value = value
                row.append(cell)
        ws.append(row)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(projects) + 1}"


def _group_rows(ws: Any, heading: str, rows: Iterable[GroupRow]) -> None:
    ws.append([])
    ws.append(_header_row(ws, (heading, *GROUP_HEADERS)))
    money = _styled_cells(ws, ("money", "money", "money"))
    for r in rows:
        amounts = (wan(r.total_investment_fen), wan(r.annual_plan_fen), wan(r.completed_year_fen))
        for cell, value in zip(money, amounts, strict=True):
            assert cell is not None
            cell.value = value
        ws.append([r.name, r.projects, r.signed_year, r.started_year, r.completed_year, *money, r.red])


def _write_summary(wb: Workbook, report: MonthlyReport, summary: ReportSummary) -> None:
    ws = wb.create_sheet(SUMMARY_SHEET)
    ws.column_dimensions["A"].width = 22
    for letter in "BCDEFGHI":
        ws.column_dimensions[letter].width = 14
    title = WriteOnlyCell(ws, value=f"{report.title}（{report.issue}）")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    ws.append([f"{report.issuer}　{report.generated_on.isoformat()}"])
    for sentence in summary_sentences(summary):
        ws.append([sentence])
    ws.append(
        [f"本工作簿含全部{summary.projects}个项目；“{ALL_SHEET}”及各清单工作表的列固定，可筛选、排序。"]
    )
    _group_rows(ws, "所属地区", summary.by_district)
    _group_rows(ws, "所属产业", summary.by_industry)
    ws.append([])
    ws.append(_header_row(ws, ("当前阶段", "项目数")))
    for stage, count in summary.by_stage.items():
        ws.append([stage.label, count])
    ws.append([])
    ws.append(_header_row(ws, ("状态灯", "项目数")))
    for light in (Light.red, Light.yellow, Light.green):
        ws.append([light.label, summary.lights[light]])


def write_xlsx(
    report: MonthlyReport, target: Path | str | IO[bytes], summary: ReportSummary | None = None
) -> None:
    """Write the bulletin workbook to a path or a binary stream."""
    summary = summary or summarize(report)
    wb = Workbook(write_only=True)
    _write_summary(wb, report, summary)
    rows = by_investment(report.projects)
    _write_projects(wb, ALL_SHEET, rows)
    taken = {SUMMARY_SHEET, ALL_SHEET, RED_SHEET}
    for name in ordered_lists(report):
        _write_projects(wb, sheet_title(name, taken), [p for p in rows if name in p.lists])
    _write_projects(wb, RED_SHEET, [p for p in rows if p.light is Light.red])
    wb.save(target)
