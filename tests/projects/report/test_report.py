"""The monthly 督查专报: figures and summary text come from the rows; XLSX and PDF read back."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from longcheng.projects.report.gather import (
    MonthlyReport,
    ReportProject,
    ordered_lists,
    summarize,
    summary_text,
)
from longcheng.projects.report.pdf import write_pdf
from longcheng.projects.report.xlsx import HEADERS, sheet_title, write_xlsx
from longcheng.projects.schedule.lights import Light
from longcheng.projects.schedule.progress import Month, amount_text
from longcheng.projects.schedule.stages import Stage

OCT = Month(2026, 10)
YI = 10**10  # fen in 1亿元


def _project(code: str, stage: Stage, dates: dict[Stage, date], total: int, **extra: Any) -> ReportProject:
    base = ReportProject(
        code=code,
        name=f"测试项目{code}",
        district="新北区",
        park="常州国家高新区",
        industry="动力电池",
        lists=("市重大",),
        stage=stage,
        stage_dates=dates,
        agreed_investment_fen=total,
        total_investment_fen=total,
        leader="王建国",
    )
    return replace(base, **extra)


def _report(**extra: Any) -> MonthlyReport:
    projects = [
        _project("P1", Stage.signed, {Stage.signed: date(2026, 10, 9)}, 30 * YI, lists=("省重大", "市重大")),
        _project(
            "P2",
            Stage.signed,
            {Stage.signed: date(2026, 10, 28)},
            5 * YI,
            agreed_investment_fen=53 * YI // 10,
            district="武进区",
            industry="光伏",
            lists=("2026年5.18集中签约",),
        ),
        _project(
            "P3",
            Stage.started,
            {Stage.signed: date(2026, 3, 2), Stage.started: date(2026, 10, 15)},
            863 * YI // 10,
            annual_plan_fen=20 * YI,
            completed_year_fen=12 * YI,
            lists=("省重大", "532"),
            light=Light.red,
            red_reasons=(
                "“施工许可”计划于2026-09-30完成，已逾期12个工作日",
                "督办单DB-2026-031要求2026-10-15前答复，已逾期5个工作日未答复",
            ),
        ),
        _project(
            "P4",
            Stage.completed,
            {
                Stage.signed: date(2025, 5, 6),
                Stage.started: date(2025, 9, 1),
                Stage.completed: date(2026, 8, 20),
            },
            12 * YI,
            annual_plan_fen=4 * YI,
            completed_year_fen=4 * YI,
            district="武进区",
            light=Light.yellow,
        ),
        _project("P5", Stage.negotiating, {}, 2 * YI, lists=("532",), industry="光伏"),
    ]
    return replace(MonthlyReport(month=OCT, projects=projects, generated_on=date(2026, 11, 3)), **extra)


class TestSummary:
    def test_month_figures(self) -> None:
        """New signings, starts and completions are counted by their stage date in the month."""
        summary = summarize(_report())
        assert (summary.signed.count, summary.signed.investment_fen) == (2, 353 * YI // 10)
        assert (summary.started.count, summary.started.investment_fen) == (1, 863 * YI // 10)
        assert summary.completed.count == 0
        assert summary.lights[Light.red] == 1

    def test_summary_text_numbers(self) -> None:
        """The opening paragraph states the month's numbers exactly."""
        text = summary_text(summarize(_report()))
        assert text.startswith("2026年10月，纳入督查的重大项目共5个，总投资135.3亿元。")
        assert (
            "本月新签约项目2个，协议总投资35.3亿元；新开工项目1个，计划总投资86.3亿元；无新竣工项目；无新投产项目。"
            in text
        )
        assert "1—10月累计完成投资16亿元，占年度计划24亿元的66.7%，低于序时进度16.6个百分点。" in text
        assert text.endswith("截至月末，红灯项目1个、黄灯项目1个、绿灯项目3个。")

    def test_groups_by_district_with_this_years_stages(self) -> None:
        """District rows count this year's signings and starts and add up the money."""
        rows = {r.name: r for r in summarize(_report()).by_district}
        assert rows["新北区"].projects == 3
        assert rows["新北区"].signed_year == 2  # P1 and P3; P4 signed in 2025 is in 武进区
        assert rows["武进区"].completed_year == 1
        assert rows["武进区"].started_year == 0

    def test_amount_text(self) -> None:
        """Amounts read as bulletins write them."""
        assert [amount_text(v) for v in (863 * YI // 10, 1717 * YI // 100, 96 * 10**8)] == [
            "86.3亿元",
            "17.17亿元",
            "9600万元",
        ]

    def test_empty_month(self) -> None:
        """A report with no projects still reads sensibly."""
        text = summary_text(summarize(MonthlyReport(OCT, [], date(2026, 11, 3))))
        assert "重大项目共0个" in text
        assert "本月无新签约项目" in text


class TestXlsx:
    def test_sheets_headers_and_rows(self, tmp_path: Path) -> None:
        """The workbook has a summary, all projects, one sheet per list and the red projects."""
        path = tmp_path / "report.xlsx"
        write_xlsx(_report(), path)
        wb = load_workbook(path)
        assert wb.sheetnames == [
            "汇总",
            "全部项目",
            "省重大",
            "市重大",
            "532",
            "2026年5.18集中签约",
            "红灯项目",
        ]
        counts = {name: wb[name].max_row - 1 for name in wb.sheetnames[1:]}
        assert counts == {
            "全部项目": 5,
            "省重大": 2,
            "市重大": 2,
            "532": 2,
            "2026年5.18集中签约": 1,
            "红灯项目": 1,
        }
        for name in wb.sheetnames[1:]:
            sheet = wb[name]
            assert tuple(c.value for c in sheet[1]) == HEADERS
            assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(HEADERS)).column_letter}{sheet.max_row}"

    def test_money_and_dates_are_sortable_values(self, tmp_path: Path) -> None:
        """Money is a number in 万元 with two decimals and dates are dates, largest project first."""
        path = tmp_path / "report.xlsx"
        write_xlsx(_report(), path)
        sheet = load_workbook(path)["全部项目"]
        column = {header: index for index, header in enumerate(HEADERS)}
        first = [c.value for c in sheet[2]]
        assert first[column["项目编号"]] == "P3"
        assert first[column["总投资（万元）"]] == 863000.0
        assert sheet.cell(2, column["总投资（万元）"] + 1).number_format == "#,##0.00"
        assert first[column["开工日期"]].date() == date(2026, 10, 15)
        assert first[column["状态灯"]] == "红灯"
        assert "已逾期12个工作日" in first[column["红灯原因"]]
        assert first[column["年度完成率（%）"]] == 60.0

    def test_summary_sheet_has_the_text(self, tmp_path: Path) -> None:
        """The summary sheet opens with the generated paragraph."""
        path = tmp_path / "report.xlsx"
        write_xlsx(_report(), path)
        values = [row[0] for row in load_workbook(path)["汇总"].iter_rows(values_only=True)]
        assert any(isinstance(v, str) and v.startswith("本月新签约项目2个") for v in values)

    def test_sheet_titles_are_valid_and_unique(self) -> None:
        """List names that Excel forbids as sheet titles are cleaned and kept unique."""
        taken: set[str] = {"汇总"}
        assert sheet_title("2026/5.18:集中签约[一]", taken) == "2026_5.18_集中签约_一_"
        assert sheet_title("汇总", taken) == "汇总(2)"
        assert len(sheet_title("很长" * 30, taken)) == 31


def _pdf_text(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))


class TestPdf:
    def test_pdf_contains_the_summary_and_sections(self, tmp_path: Path) -> None:
        """The PDF has several pages, the generated summary, the charts' sections and the red reasons."""
        path = tmp_path / "report.pdf"
        report = _report()
        write_pdf(report, path, xlsx_name="督查专报-2026-10.xlsx")
        assert len(PdfReader(path).pages) > 1
        text = _pdf_text(path)
        assert "本月新签约项目2个，协议总投资35.3亿元；新开工项目1个，计划总投资86.3亿元" in text
        for heading in (
            "重大项目督查专报",
            "二、分地区推进情况",
            "三、分产业推进情况",
            "四、红灯项目",
            "五、分清单项目情况",
        ):
            assert heading in text
        assert "“施工许可”计划于2026-09-30完成，已逾期12个工作日" in text
        assert "督查专报-2026-10.xlsx" in text

    def test_long_lists_show_top_n_and_say_so(self, tmp_path: Path) -> None:
        """With more rows than the PDF shows, the table says how many it lists and where the rest is."""
        path = tmp_path / "report.pdf"
        write_pdf(_report(top_n=1), path)
        text = _pdf_text(path)
        assert "（一）省重大（共2个，列示总投资前1个）" in text
        assert "完整清单见同期XLSX附件" in text

    def test_list_order(self) -> None:
        """Official lists come first in their order, then batches by name."""
        assert ordered_lists(_report()) == ["省重大", "市重大", "532", "2026年5.18集中签约"]

    def test_empty_report_renders(self, tmp_path: Path) -> None:
        """A month without projects still produces a readable PDF and workbook."""
        report = MonthlyReport(OCT, [], date(2026, 11, 3))
        write_pdf(report, tmp_path / "empty.pdf")
        write_xlsx(report, tmp_path / "empty.xlsx")
        assert "本月无红灯项目" in _pdf_text(tmp_path / "empty.pdf")
        assert load_workbook(tmp_path / "empty.xlsx")["全部项目"].max_row == 1
