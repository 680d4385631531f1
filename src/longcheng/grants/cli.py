"""``longcheng grants ...``: the ledger check and budgets."""

from __future__ import annotations

from typing import Annotated

import typer

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import unit_of_work
from longcheng.core.money import MoneyParseError, parse_amount
from longcheng.grants.ledger import service as ledger

app = typer.Typer(help="兑现一网办：预算台账核对、预算安排。", no_args_is_help=True)
ledger_app = typer.Typer(help="预算台账（复式记账，单位：分）。", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("verify")
def verify() -> None:
    """核对每个专项每个年度的台账：余额与记账一致、借贷平衡、无负余额。"""
    with unit_of_work() as session:
        problems = ledger.verify(session)
    if problems:
        typer.echo(f"台账不平：{problems[0]}", err=True)
        for p in problems[1:]:
            typer.echo(f"  另：{p}", err=True)
        raise typer.Exit(1)
    typer.echo("台账核对无误：所有专项各年度账户余额与记账一致，借贷平衡。")


@app.command("budget")
def budget(
    programme: Annotated[str, typer.Argument(help="专项编号")],
    year: Annotated[int, typer.Argument(help="年度")],
    amount: Annotated[str, typer.Argument(help="预算总额，如 500万元")],
) -> None:
    """安排（或调整）某专项某年度的预算总额。"""
    with unit_of_work() as session:
        fen = parse_amount(amount).value_fen
        if fen is None:
            raise MoneyParseError("请写一个确定的金额，如 500万元。", code="grants.amount_range")
        ledger.set_budget(session, actor=SYSTEM, programme_code=programme, fiscal_year=year, amount_fen=fen)
    typer.echo(f"已安排 {programme} {year} 年度预算：{fen / 100:,.2f} 元。")
