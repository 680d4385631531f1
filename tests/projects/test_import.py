"""Import and export of projects: the template, all-or-nothing rows, merged cells, the round trip."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import make_org, new_uscc
from tests.projects.conftest import MakeProject

from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.tabular import ImportFileError
from longcheng.projects import importer, service
from longcheng.projects.models import Project
from longcheng.projects.schemas import ProjectFilter

MAX = 5 * 1024 * 1024


def _write(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    headers = headers or importer.HEADERS
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    wb.save(path)
    return path


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Project)) or 0


GOOD = {
    "项目名称": "年产5GWh储能电池项目",
    "所属地区": "新北区",
    "所在园区": "常州国家高新区",
    "所属清单": "市重大；532",
    "总投资（万元）": "210000",
    "协议投资（万元）": "20亿元",
    "用地面积（亩）": "150",
    "当前阶段": "开工",
    "签约日期": "2025-05-18",
    "注册日期": "2025年6月10日",
    "开工日期": "2025-09-01",
    "挂钩领导": "（测试）副区长",
    "专班成员": "甲；乙",
    "联系人": "王先生",
    "联系电话": "0519-1234567",
}


class TestTemplate:
    def test_template_has_every_column_and_notes(self) -> None:
        """The template's header row is the import's columns, with a sheet explaining them in Chinese."""
        wb = load_workbook(io.BytesIO(importer.template_xlsx()))
        assert [c.value for c in wb["项目导入"][1]] == importer.HEADERS
        notes = " ".join(str(r[0].value) for r in wb["填写说明"].iter_rows())
        assert "合并单元格" in notes
        assert "万元" in notes

    def test_filled_template_imports(self, session: Session, tmp_path: Path) -> None:
        """Rows from the template become projects with lists, dates, people and a plan."""
        org = make_org(session, name="常州导入测试储能有限公司")
        path = _write(
            tmp_path / "p.xlsx",
            [
                {**GOOD, "投资方统一社会信用代码": org.uscc, "投资方名称": "简称"},
                {"项目名称": "数字经济产业园项目", "所属地区": "武进", "项目类型": "现代服务业项目"},
            ],
        )
        report = importer.run_import(session, actor=SYSTEM, path=path, max_bytes=MAX)
        assert report.ok
        assert report.created == 2
        p = service.get(session, actor=SYSTEM, code=report.codes[0])
        assert p.stage == "started"
        assert p.registered_on == date(2025, 6, 10)
        assert sorted(p.list_names) == ["532", "市重大"]
        assert p.investors[0].name == "常州导入测试储能有限公司"
        assert p.total_investment_fen == 21 * 10**10
        assert p.agreed_investment_fen == 20 * 10**10
        assert [x.name for x in p.people if x.kind == "task_force"] == ["甲", "乙"]
        assert p.source == "import"


class TestBadRows:
    def test_every_bad_row_is_reported_and_nothing_written(self, session: Session, tmp_path: Path) -> None:
        """A bad district, dates out of order and an unregistered USCC: all listed by line, none kept."""
        rows = [
            GOOD,
            {**GOOD, "项目名称": "地区错误项目", "所属地区": "火星区"},
            {**GOOD, "项目名称": "日期颠倒项目", "开工日期": "2025-01-01"},
            {**GOOD, "项目名称": "投资方未登记项目", "投资方统一社会信用代码": new_uscc()},
        ]
        report = importer.run_import(
            session, actor=SYSTEM, path=_write(tmp_path / "bad.xlsx", rows), max_bytes=MAX
        )
        assert not report.ok
        assert report.created == 0
        by_line = {e.line: e for e in report.errors}
        assert set(by_line) == {3, 4, 5}
        assert by_line[3].column == "所属地区"
        assert "火星区" in by_line[3].message
        assert "开工" in by_line[4].message
        assert by_line[5].column == "投资方统一社会信用代码"
        assert _count(session) == 0

    def test_district_officer_imports_only_own_district(
        self, session: Session, people: dict[str, Actor], tmp_path: Path
    ) -> None:
        """A Wujin officer's file with a Xinbei row is refused as a whole."""
        rows = [{**GOOD, "所属地区": "武进区", "所在园区": ""}, GOOD]
        report = importer.run_import(
            session, actor=people["pwujin"], path=_write(tmp_path / "d.xlsx", rows), max_bytes=MAX
        )
        assert [(e.line, e.column) for e in report.errors] == [(3, "所属地区")]
        assert _count(session) == 0

    def test_merged_header_cells_are_refused(self, session: Session, tmp_path: Path) -> None:
        """A header with merged cells (a common “投资额” group heading) is refused before any row is read."""
        path = _write(tmp_path / "m.xlsx", [GOOD])
        wb = load_workbook(path)
        wb.active.merge_cells("M1:N1")
        wb.save(path)
        with pytest.raises(ImportFileError) as exc:
            importer.run_import(session, actor=SYSTEM, path=path, max_bytes=MAX)
        assert exc.value.code_text == "import.merged_header"
        assert "M1:N1" in exc.value.message_text
        assert _count(session) == 0

    def test_merged_data_cells_are_refused(self, session: Session, tmp_path: Path) -> None:
        """Merged cells among the rows would leave blanks below the first one; refused with the range."""
        path = _write(tmp_path / "m2.xlsx", [GOOD, {**GOOD, "项目名称": "第二个项目"}])
        wb = load_workbook(path)
        wb.active.merge_cells("D2:D3")
        wb.save(path)
        with pytest.raises(ImportFileError) as exc:
            importer.run_import(session, actor=SYSTEM, path=path, max_bytes=MAX)
        assert exc.value.code_text == "import.merged_cells"
        assert "D2:D3" in exc.value.message_text

    def test_unknown_column_is_refused(self, session: Session, tmp_path: Path) -> None:
        """A column the import does not know (a typo) is refused rather than silently dropped."""
        path = _write(
            tmp_path / "u.xlsx",
            [{"项目名称": "x项目", "所属地区": "新北区"}],
            headers=["项目名称", "所属地区", "总投资(万元)"],
        )
        with pytest.raises(ImportFileError) as exc:
            importer.run_import(session, actor=SYSTEM, path=path, max_bytes=MAX)
        assert "总投资(万元)" in exc.value.message_text

    def test_gbk_csv_imports(self, session: Session, tmp_path: Path) -> None:
        """A CSV saved by Excel in GBK reads correctly."""
        path = tmp_path / "gbk.csv"
        path.write_bytes("项目名称,所属地区,总投资（万元）\n溧阳测试电池项目,溧阳市,80000\n".encode("gbk"))
        report = importer.run_import(session, actor=SYSTEM, path=path, max_bytes=MAX)
        assert report.ok
        assert service.get(session, actor=SYSTEM, code=report.codes[0]).name == "溧阳测试电池项目"


class TestExport:
    def test_export_reimports_after_clearing_the_codes(
        self, session: Session, make_project: MakeProject, tmp_path: Path
    ) -> None:
        """The export has the import's columns first (plus read-only ones); with codes cleared it imports."""
        make_project(
            name="导出测试项目",
            lists=["区重大"],
            total_investment="3.5亿元",
            stage="signed",
            signed_on="2025-03-03",
        )
        data = importer.export_xlsx(
            service.iter_export(session, actor=SYSTEM, filters=ProjectFilter(), limit=100)
        )
        wb = load_workbook(io.BytesIO(data))
        ws = wb.active
        header = [c.value for c in ws[1]]
        assert header[: len(importer.HEADERS)] == importer.HEADERS
        assert "状态灯" in header
        for row in ws.iter_rows(min_row=2):
            row[0].value = None
            row[1].value = f"{row[1].value}（复制）"
        path = tmp_path / "again.xlsx"
        wb.save(path)
        report = importer.run_import(session, actor=SYSTEM, path=path, max_bytes=MAX)
        assert report.ok, report.errors
        copy = service.get(session, actor=SYSTEM, code=report.codes[0])
        assert copy.total_investment_fen == 35 * 10**9
        assert copy.list_names == ["区重大"]
