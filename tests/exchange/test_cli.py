"""The exchange commands against a real database: ledger verify and the rulebook."""

from __future__ import annotations

from typer.testing import CliRunner

from longcheng.cli import app


def test_ledger_verify_passes_on_an_empty_ledger_and_the_rulebook_prints_in_chinese(cli_db: str) -> None:
    out = CliRunner().invoke(app, ["exchange", "ledger", "verify"])
    assert out.exit_code == 0, out.output
    assert "保证金账核对通过：0 笔分录" in out.output
    out = CliRunner().invoke(app, ["exchange", "rulebook"])
    assert out.exit_code == 0
    assert "【股权】" in out.output
    assert "信息披露期（天）：20" in out.output
