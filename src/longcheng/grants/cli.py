"""``longcheng grants ...``: the ledger check, budgets, windows (list/open/close), bulk decisions
from the queue XLSX, payment batches (create/export/mark paid from the bank's return file) and
the audit sample. ``--user`` acts as that user (so the audit trail names them); without it the
command acts as 系统."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.cliutil import fail, settings, unit_of_work
from longcheng.core.clock import format_local, utcnow
from longcheng.core.errors import LongchengError, NotFound
from longcheng.core.money import MoneyParseError, parse_amount
from longcheng.core.tabular import cell_text, iter_rows
from longcheng.core.validation import validate
from longcheng.grants.applications.service import bulk
from longcheng.grants.audit import service as audit
from longcheng.grants.audit.schemas import DrawIn
from longcheng.grants.batches import service as batches
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service as programmes

app = typer.Typer(help="兑现一网办：申报批次、批量决定、支付批次、审计抽查、预算台账。", no_args_is_help=True)
ledger_app = typer.Typer(help="预算台账（复式记账，单位：分）。", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")
windows_app = typer.Typer(help="申报批次：列出、立即开放、立即截止。", no_args_is_help=True)
app.add_typer(windows_app, name="windows")
applications_app = typer.Typer(help="申报：导入已填写决定的审核队列表（批量决定）。", no_args_is_help=True)
app.add_typer(applications_app, name="applications")
batches_app = typer.Typer(help="支付批次：生成、导出银行文件、按银行回单登记支付。", no_args_is_help=True)
app.add_typer(batches_app, name="batches")
audit_app = typer.Typer(help="审计抽查：抽取随机样本。", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
UserOpt = Annotated[str | None, typer.Option("--user", help="以该用户身份操作（写入操作痕迹）")]


def _actor(session: Session, username: str | None) -> Actor:
    if not username:
        return SYSTEM
    user = users.get_by_username(session, username)
    if user is None or not user.is_active:
        raise NotFound(f"未找到用户“{username}”或该用户已停用。", code="grants.cli_user")
    return user.to_actor()


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


@windows_app.command("list")
def windows_list(
    programme: Annotated[str | None, typer.Option(help="只列该专项编号")] = None,
    state: Annotated[str | None, typer.Option(help="upcoming 即将开始 / open 申报中 / closed 已截止")] = None,
) -> None:
    """列出申报批次（北京时间）：编号、专项、年度、开始、截止、状态。"""
    with unit_of_work() as session:
        rows = programmes.public_calendar(session)
    for w, p, st in rows:
        if (programme and p.code != programme.upper()) or (state and st != state):
            continue
        typer.echo(
            f"{w.id}\t{p.code}\t{w.code}\t{w.name}\t{w.fiscal_year}\t"
            f"{format_local(w.opens_at)}\t{format_local(w.closes_at)}\t{programmes.WINDOW_STATES[st]}"
        )


@windows_app.command("open")
def windows_open(
    window_id: Annotated[int, typer.Argument(help="批次 ID（见 windows list）")], user: UserOpt = None
) -> None:
    """立即开放一个尚未开始的申报批次（开始时间改为现在）。"""
    with unit_of_work() as session:
        window = programmes.set_window_times(
            session, actor=_actor(session, user), window_id=window_id, opens_at=utcnow()
        )
        text = f"已开放批次 {window.name}，截止时间 {format_local(window.closes_at)}（北京时间）。"
    typer.echo(text)


@windows_app.command("close")
def windows_close(
    window_id: Annotated[int, typer.Argument(help="批次 ID（见 windows list）")], user: UserOpt = None
) -> None:
    """立即截止一个申报批次（截止时间改为现在，此后提交一律不予受理）。"""
    with unit_of_work() as session:
        window = programmes.set_window_times(
            session, actor=_actor(session, user), window_id=window_id, closes_at=utcnow()
        )
        text = f"已截止批次 {window.name}：{format_local(window.closes_at)}（北京时间）。"
    typer.echo(text)


@applications_app.command("import")
def applications_import(
    path: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="审核队列导出表（已填写“决定”列）")
    ],
    user: UserOpt = None,
) -> None:
    """批量决定：全部通过校验才执行，任何一行有误则不写入并列出所有错误行。"""
    with unit_of_work() as session:
        max_bytes = settings().max_upload_bytes
        result = bulk.import_decisions(
            session, actor=_actor(session, user), path=path, max_bytes=max_bytes, name=path.name
        )
    if not result.report.ok:
        typer.echo(f"未执行任何决定：发现 {result.report.error_count} 处错误。", err=True)
        for e in result.report.errors:
            typer.echo(f"  第 {e.line} 行 {e.column}：{e.message}", err=True)
        raise typer.Exit(1)
    typer.echo(bulk.summary(result))


@batches_app.command("create")
def batches_create(user: UserOpt = None) -> None:
    """把所有待支付（含银行退回）的应付款生成一个支付批次（之后须两人审批）。"""
    with unit_of_work() as session:
        batch = batches.create_batch(session, actor=_actor(session, user))
        total = f"{batch.total_fen / 100:,.2f}"
        text = f"已生成支付批次 {batch.number}（ID {batch.id}）：{batch.count} 笔，合计 {total} 元。"
    typer.echo(text)


@batches_app.command("export")
def batches_export(
    batch_id: Annotated[int, typer.Argument(help="批次 ID")],
    out: Annotated[Path, typer.Argument(dir_okay=False, help="银行文件（.xlsx）保存位置")],
    user: UserOpt = None,
) -> None:
    """导出已审批批次的银行支付文件（含大写金额）。"""
    with unit_of_work() as session:
        data = batches.export_xlsx(session, actor=_actor(session, user), batch_id=batch_id)
    out.write_bytes(data)
    typer.echo(f"已导出银行文件：{out}")


@batches_app.command("paid")
def batches_paid(
    batch_id: Annotated[int, typer.Argument(help="批次 ID")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="银行回单（.xlsx 或 .csv）")],
    user: UserOpt = None,
) -> None:
    """按银行回单登记支付结果（按付款参考号匹配）；未匹配的行逐条列出，退出码 1。"""
    try:
        cells_of = iter_rows(path, max_bytes=settings().max_upload_bytes)
        rows = [(line, {k: cell_text(v) for k, v in cells.items()}) for line, cells in cells_of]
    except LongchengError as exc:
        fail(exc)
    with unit_of_work() as session:
        report = batches.apply_return(session, actor=_actor(session, user), batch_id=batch_id, rows=rows)
    typer.echo(f"已支付 {report.paid} 笔，银行退回 {report.returned} 笔，重复忽略 {report.ignored} 笔。")
    for problem in report.unmatched:
        typer.echo(f"  未匹配：第 {problem.line} 行 {problem.reference}：{problem.message}", err=True)
    if report.unmatched:
        raise typer.Exit(1)


@audit_app.command("sample")
def audit_sample(
    programme: Annotated[str, typer.Argument(help="专项编号")],
    year: Annotated[int, typer.Argument(help="年度")],
    size: Annotated[int, typer.Option(help="抽查数量")] = 10,
    seed: Annotated[int | None, typer.Option(help="随机种子（不填则随机生成并记录）")] = None,
    user: UserOpt = None,
) -> None:
    """从某专项某年度已支付的资金中抽取审计样本，记录随机种子。"""
    body = {"programme": programme, "fiscal_year": year, "size": size}
    body["seed"] = secrets.randbelow(2**31) if seed is None else seed
    try:
        data = validate(DrawIn, body, code="grants.invalid")
    except LongchengError as exc:
        fail(exc)
    with unit_of_work() as session:
        sample = audit.draw(session, actor=_actor(session, user), data=data)
        _, items = audit.get(session, actor=_actor(session, user), sample_id=sample.id)
        lines = [f"  {i.source_ref}\t{i.payee_name}\t{i.paid_fen / 100:,.2f} 元" for i in items]
        head = (
            f"抽查批次 {sample.id}：总体 {sample.population} 笔，抽中 {sample.size} 笔，"
            f"随机种子 {sample.seed}。"
        )
    typer.echo(head)
    for line in lines:
        typer.echo(line)
