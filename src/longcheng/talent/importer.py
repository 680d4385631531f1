"""The three data sources' file formats (CSV or XLSX, one header row), parsed and checked.

* 人社社保 (``social_insurance``): 身份证号码, 月份 (2025-03), 单位统一社会信用代码, 缴费状态 (已缴/未缴).
* 学历 (``degree``): 身份证号码, 学历 (专科/本科/硕士/博士), 毕业院校, 毕业日期.
* 用人单位申报 (``employer``): 单位统一社会信用代码, 身份证号码, 入职日期, 离职日期 (may be empty).

Parsing needs only the people's blind indexes (``known``: index → person id): a row for someone
not registered is a row error. Every bad row is reported; the caller writes nothing then.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.pii import ids
from longcheng.core.tabular import RowReport, cell_text, iter_rows, parse_date_cell
from longcheng.talent.schemas import DEGREE_BY_LABEL

SOURCES = {"social_insurance": "人社社保缴费", "degree": "学历学位", "employer": "用人单位申报"}
COLUMNS = {
    "social_insurance": ("身份证号码", "月份", "单位统一社会信用代码", "缴费状态"),
    "degree": ("身份证号码", "学历", "毕业院校", "毕业日期"),
    "employer": ("单位统一社会信用代码", "身份证号码", "入职日期", "离职日期"),
}
MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
PAID = {"已缴": True, "正常": True, "是": True, "未缴": False, "欠缴": False, "否": False}


@dataclass(frozen=True)
class SiRow:
    line: int
    person_id: int
    month: str
    uscc: str
    paid: bool


@dataclass(frozen=True)
class DegreeRow:
    line: int
    person_id: int
    degree: str
    school: str
    graduation_date: date


@dataclass(frozen=True)
class EmployerRow:
    line: int
    person_id: int
    uscc: str
    start_date: date
    end_date: date | None


Indexer = Callable[[str], str]


class _Rows:
    """Shared cell checks that add row errors and return None for a bad cell."""

    def __init__(self, report: RowReport, known: Mapping[str, int], index_of: Indexer) -> None:
        self.report, self.known, self.index_of = report, known, index_of

    def person(self, line: int, value: object) -> int | None:
        text = cell_text(value)
        if not ids.is_valid(text):
            self.report.add(line, "身份证号码", "身份证号码无效（位数、字符、出生日期或校验位错误）")
            return None
        found = self.known.get(self.index_of(text))
        if found is None:
            self.report.add(line, "身份证号码", "该人员尚未登记，请先在人才档案中登记")
        return found

    def uscc(self, line: int, value: object, column: str = "单位统一社会信用代码") -> str | None:
        code = normalise_uscc(cell_text(value))
        problem = uscc_problem(code)
        if problem is not None:
            self.report.add(line, column, problem.message)
            return None
        return code

    def day(self, line: int, value: object, column: str, *, required: bool = True) -> date | None:
        try:
            found = parse_date_cell(value)
        except ValueError as exc:
            self.report.add(line, column, str(exc))
            return None
        if found is None and required:
            self.report.add(line, column, "不能为空")
        return found

    def month(self, line: int, value: object) -> str | None:
        m = MONTH.match(cell_text(value).replace(" ", ""))
        if not m or not 1 <= int(m[2]) <= 12:
            self.report.add(line, "月份", "月份应写成 2025-03")
            return None
        return f"{int(m[1]):04d}-{int(m[2]):02d}"


def _check_header(report: RowReport, columns: Iterable[str], row: Mapping[str, object], line: int) -> bool:
    missing = [c for c in columns if c not in row]
    if missing:
        report.add(line, "表头", f"缺少列：{'、'.join(missing)}")
    return not missing


def parse_social_insurance(
    path: Path, *, max_bytes: int, known: Mapping[str, int], index_of: Indexer
) -> tuple[RowReport, list[SiRow]]:
    """Monthly 人社 rows; one person with two employers in the same month is a row error."""
    report, out, seen = RowReport(), [], dict[tuple[int, str], str]()
    cells = _Rows(report, known, index_of)
    for line, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        if report.rows == 1 and not _check_header(report, COLUMNS["social_insurance"], row, line):
            break
        person, month, uscc = (
            cells.person(line, row["身份证号码"]),
            cells.month(line, row["月份"]),
            cells.uscc(line, row["单位统一社会信用代码"]),
        )
        paid = PAID.get(cell_text(row["缴费状态"]))
        if paid is None:
            report.add(line, "缴费状态", "应为“已缴”或“未缴”")
        if person is None or month is None or uscc is None or paid is None:
            continue
        other = seen.setdefault((person, month), uscc)
        if other != uscc:
            report.add(
                line,
                "单位统一社会信用代码",
                f"同一人员 {month} 有两个缴费单位（{other} 与 {uscc}），请核实后重新导入",
            )
            continue
        out.append(SiRow(line, person, month, uscc, paid))
    return report, out


def parse_degree(
    path: Path, *, max_bytes: int, known: Mapping[str, int], index_of: Indexer
) -> tuple[RowReport, list[DegreeRow]]:
    report, out = RowReport(), []
    cells = _Rows(report, known, index_of)
    for line, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        if report.rows == 1 and not _check_header(report, COLUMNS["degree"], row, line):
            break
        person = cells.person(line, row["身份证号码"])
        degree = DEGREE_BY_LABEL.get(cell_text(row["学历"]))
        if degree is None:
            report.add(line, "学历", "学历应为 专科、本科、硕士 或 博士")
        graduated = cells.day(line, row["毕业日期"], "毕业日期")
        school = cell_text(row["毕业院校"])[:120]
        if person is not None and degree is not None and graduated is not None:
            out.append(DegreeRow(line, person, degree, school, graduated))
    return report, out


def parse_employer(
    path: Path, *, max_bytes: int, known: Mapping[str, int], index_of: Indexer, own_uscc: str | None
) -> tuple[RowReport, list[EmployerRow]]:
    """Employer declarations; an enterprise may declare only its own employees (``own_uscc``)."""
    report, out = RowReport(), []
    cells = _Rows(report, known, index_of)
    for line, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        if report.rows == 1 and not _check_header(report, COLUMNS["employer"], row, line):
            break
        uscc, person = cells.uscc(line, row["单位统一社会信用代码"]), cells.person(line, row["身份证号码"])
        if uscc is not None and own_uscc is not None and uscc != own_uscc:
            report.add(line, "单位统一社会信用代码", "企业只能申报本单位的员工")
            uscc = None
        start = cells.day(line, row["入职日期"], "入职日期")
        end = cells.day(line, row.get("离职日期"), "离职日期", required=False)
        if start is not None and end is not None and end < start:
            report.add(line, "离职日期", "离职日期早于入职日期")
            continue
        if uscc is not None and person is not None and start is not None:
            out.append(EmployerRow(line, person, uscc, start, end))
    return report, out
