"""``longcheng projects``: the monthly report files, the template, import with row errors, lights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core.actors import SYSTEM
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.validation import validate
from longcheng.projects import importer, service
from longcheng.projects.schemas import ProjectCreate

runner = CliRunner()


def seed(url: str) -> None:
    engine = make_engine(url)
    rows: list[dict[str, Any]] = [
        {
            "name": "十月开工动力电池项目",
            "district": "xinbei",
            "lists": ["市重大"],
            "total_investment": "86.3亿元",
            "stage": "started",
            "signed_on": "2025-03-03",
            "registered_on": "2025-04-01",
            "started_on": "2025-10-13",
        },
        {
            "name": "十月签约光伏项目",
            "district": "wujin",
            "lists": ["区重大"],
            "agreed_investment": "20亿元",
            "total_investment": "20亿元",
            "stage": "signed",
            "signed_on": "2025-10-20",
        },
        {
            "name": "尚在洽谈项目",
            "district": "jintan",
            "total_investment": "5亿元",
            "stage": "negotiating",
            "negotiating_on": "2025-09-01",
        },
    ]
    with transaction(make_sessionmaker(engine)) as session:
        for row in rows:
            service.create(session, actor=SYSTEM, data=validate(ProjectCreate, row))
    engine.dispose()


class TestReport:
    def test_month_report_writes_xlsx_and_pdf(self, cli_db: str, tmp_path: Path) -> None:
        """``report --month 2025-10`` writes both files; the summary counts the month's start and signing."""
        seed(cli_db)
        result = runner.invoke(
            app, ["projects", "report", "--month", "2025-10", "--out", str(tmp_path / "out")]
        )
        assert result.exit_code == 0, result.output
        assert "2025年10月督查专报：2 个项目" in result.output
        xlsx = load_workbook(tmp_path / "out" / "督查专报-2025-10.xlsx", read_only=True)
        assert {"汇总", "全部项目", "市重大", "区重大", "红灯项目"} <= set(xlsx.sheetnames)
        pdf = PdfReader(tmp_path / "out" / "督查专报-2025-10.pdf")
        text = "".join(page.extract_text() for page in pdf.pages)
        assert "新开工项目1个，计划总投资86.3亿元" in text.replace(" ", "").replace("\n", "")
        assert "十月开工动力电池项目" in text.replace("\n", "")

    def test_bad_month_is_a_chinese_error(self, cli_db: str, tmp_path: Path) -> None:
        """``--month 2026-13`` stops with a message and exit code 1."""
        result = runner.invoke(app, ["projects", "report", "--month", "2026-13", "--out", str(tmp_path)])
        assert result.exit_code == 1
        assert "月份" in result.output


class TestImport:
    def test_template_then_import(self, cli_db: str, tmp_path: Path) -> None:
        """The template is written; a filled copy imports and says how many projects were created;
        piped (not a terminal), the progress is plain lines, not a redrawn bar."""
        template = tmp_path / "t.xlsx"
        assert runner.invoke(app, ["projects", "template", "--out", str(template)]).exit_code == 0
        wb = load_workbook(template)
        ws = wb["项目导入"]
        ws.delete_rows(2)
        ws.append(["", "命令行导入项目", "工业制造项目", "新北区"])
        wb.save(template)
        result = runner.invoke(app, ["projects", "import", str(template)])
        assert result.exit_code == 0, result.output
        assert "新建 1 个项目" in result.output
        assert "导入项目：0% 校验并写入 t.xlsx" in result.output
        assert "导入项目：100% 已处理 1 行" in result.output
        assert "\x1b[" not in result.output

    def test_bad_rows_and_merged_headers_write_nothing(self, cli_db: str, tmp_path: Path) -> None:
        """Row errors are listed with line numbers; a merged header is refused; exit code 1 both times."""
        bad = tmp_path / "bad.xlsx"
        wb = Workbook()
        ws = wb.active
        ws.append(importer.HEADERS)
        ws.append(["", "好项目", "", "新北区"])
        ws.append(["", "坏项目", "", "不存在区"])
        wb.save(bad)
        result = runner.invoke(app, ["projects", "import", str(bad)])
        assert result.exit_code == 1
        assert "第 3 行 [所属地区]" in result.output
        ws.merge_cells("A1:B1")
        wb.save(bad)
        merged = runner.invoke(app, ["projects", "import", str(bad)])
        assert merged.exit_code == 1
        assert "合并单元格" in merged.output
        lights = runner.invoke(app, ["projects", "lights"])
        assert "已重算 0 个项目的状态灯" in lights.output


class TestLights:
    def test_lights_command_counts(self, cli_db: str) -> None:
        """``projects lights`` recomputes and reports how many are red, yellow and green."""
        seed(cli_db)
        result = runner.invoke(app, ["projects", "lights"])
        assert result.exit_code == 0, result.output
        assert "已重算 3 个项目的状态灯" in result.output
