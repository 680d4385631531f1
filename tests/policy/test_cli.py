"""``longcheng policy`` through Typer's runner: explain, guide, test and batch."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
from tests.policy.conftest import Editor
from typer.testing import CliRunner

from longcheng.policy.cli import app

runner = CliRunner()
RD = "innovation.rd_growth_reward"


def _explain(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["explain", RD, "--year", "2025", *args])
    return result.exit_code, result.output


def test_explain_json_has_amount_and_brackets() -> None:
    """The JSON answer has the amount as a yuan string and the brackets with from/to/slice/rate/amount."""
    code, output = _explain("--set", "rd_growth=123456789.87", "--set", "enterprise_type=high_tech", "--json")
    assert code == 0
    data = json.loads(output)
    assert data["amount"] == "7158271.59"
    assert [b["slice"] for b in data["brackets"]] == [
        "1800000.00",
        "8000000.00",
        "90000000.00",
        "23456789.87",
        "0.00",
    ]
    assert {"from", "to", "slice", "rate", "amount"} <= data["brackets"][0].keys()
    assert data["other_readings"][0]["amount"] == "7178271.59"


def test_explain_with_the_other_reading() -> None:
    """--reading entry_threshold pays from 0 once the 200,000 threshold is met."""
    code, output = _explain(
        "--set",
        "rd_growth=200000",
        "--set",
        "enterprise_type=tech_sme",
        "--reading",
        "entry_threshold",
        "--json",
    )
    assert code == 0
    assert json.loads(output)["amount"] == "20000.00"


def test_explain_text_is_chinese() -> None:
    """Without --json the explanation is readable Chinese text with the total."""
    code, output = _explain("--set", "rd_growth=10000000", "--set", "enterprise_type=high_tech")
    assert code == 0
    assert "结论：符合条件，可获 820,000.00 元" in output
    assert "分档计算" in output


def test_explain_refuses_scientific_notation() -> None:
    """An amount typed as 1.2e8 is refused with a code and a hint, exit code 1."""
    code, output = _explain("--set", "rd_growth=1.2e8", "--set", "enterprise_type=high_tech")
    assert code == 1
    assert "policy.amount_scientific" in output
    assert "1.2亿" in output


def test_explain_unknown_clause_and_bad_pair() -> None:
    """An unknown clause lists the known ones; a --set without '=' is a usage error."""
    result = runner.invoke(app, ["explain", "innovation.nope", "--year", "2025", "--set", "rd_growth=1"])
    assert result.exit_code == 1
    assert "innovation.rd_growth_reward" in result.output
    code, output = _explain("--set", "rd_growth")
    assert code == 2
    assert "名称=值" in output


def test_explain_monthly_clause() -> None:
    """A monthly clause is explained for --year and --month."""
    result = runner.invoke(
        app,
        [
            "explain",
            "talent.young_talent_living",
            "--year",
            "2025",
            "--month",
            "3",
            "--set",
            "degree=doctor",
            "--set",
            "age=30",
            "--set",
            "months_in_city=2",
            "--set",
            "social_insurance_paid=是",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["amount"] == "3000.00"


def test_guide_command() -> None:
    """The claim guide shows conditions, brackets and a contact marked as an example."""
    result = runner.invoke(app, ["guide", RD, "--year", "2025"])
    assert result.exit_code == 0
    assert "【申兑指南】企业研发投入增长奖励" in result.output
    assert "20万元至200万元部分按 10% 计" in result.output
    assert "示例" in result.output


def test_test_command_passes_on_the_example_pack() -> None:
    """`policy test` prints each case and exits 0 when all pass."""
    result = runner.invoke(app, ["test"])
    assert result.exit_code == 0
    assert "[通过]" in result.output
    assert "0 条失败" in result.output


def test_test_command_fails_on_a_wrong_case(edit: Editor) -> None:
    """A wrong expected amount makes `policy test` print the failure and exit 1."""
    root = edit(
        "tests/rd_growth_reward.yaml",
        "rd_growth: 2000000}\n  output: {qualifies: true, amount: 180000.00}",
        "rd_growth: 2000000}\n  output: {qualifies: true, amount: 180000.01}",
    )
    result = runner.invoke(app, ["test", str(root)])
    assert result.exit_code == 1
    assert "[失败]" in result.output
    assert "应为 180000.01 元，实际为 180000.00 元" in result.output


def test_test_command_reports_a_broken_pack(edit: Editor) -> None:
    """A pack that does not load is reported with its code and position, exit 1."""
    root = edit("clauses/rd_growth_reward.yaml", "period: year", "period:\tyear")
    result = runner.invoke(app, ["test", str(root)])
    assert result.exit_code == 1
    assert "policy.yaml_tab" in result.output
    assert "rd_growth_reward.yaml" in result.output


def test_batch_command_writes_parquet_and_xlsx(tmp_path: Path) -> None:
    """`policy batch` reads a CSV in yuan and writes Parquet or XLSX with a summary per clause;
    piped, its progress is plain lines ending at 100 %."""
    csv = tmp_path / "firms.csv"
    csv.write_text(
        "uscc,enterprise_type,rd_growth,high_tech_first_certified,cultivation_reward_received,national_grant,"
        "provincial_grant,grants_same_project,srdi_level,srdi_newly_recognised,srdi_prior_reward\n"
        "A,high_tech,123456789.87,true,0,0,0,false,none,false,0\n"
        "B,other,500000,false,0,3000000,0,false,city,true,0\n",
        encoding="utf-8",
    )
    out = tmp_path / "result.parquet"
    result = runner.invoke(app, ["batch", "--year", "2025", "--input", str(csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "企业研发投入增长奖励（innovation.rd_growth_reward）：符合 1 家，合计 7158271.59 元" in result.output
    )
    assert pq.read_table(out).column(f"{RD}.amount_fen").to_pylist() == [715827159, 0]
    assert "批量测算：100% 写出 result.parquet：2/2 行" in result.output
    xlsx = tmp_path / "result.xlsx"
    assert (
        runner.invoke(app, ["batch", "--year", "2025", "--input", str(csv), "--out", str(xlsx)]).exit_code
        == 0
    )
    assert xlsx.stat().st_size > 0


def test_batch_skips_clauses_without_their_columns(tmp_path: Path) -> None:
    """A file with only the R&D columns computes that clause and lists the others as skipped."""
    csv = tmp_path / "rd.csv"
    csv.write_text("uscc,enterprise_type,rd_growth\nA,tech_sme,2000000\n", encoding="utf-8")
    out = tmp_path / "rd.parquet"
    result = runner.invoke(app, ["batch", "--year", "2025", "--input", str(csv), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "已跳过 innovation.grant_matching" in result.output
    assert "符合 1 家，合计 180000.00 元" in result.output
