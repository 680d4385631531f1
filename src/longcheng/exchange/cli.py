"""``longcheng exchange ...``: ledger verification, auction audit files, bank statements, the rulebook."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import settings, unit_of_work
from longcheng.core.db import make_engine, make_sessionmaker, write_engine
from longcheng.exchange import closing
from longcheng.exchange.auditfile import chain
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.ledger import statements
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS

app = typer.Typer(
    help="产权交易：保证金账核对、竞价审计文件校验、银行流水导入、交易规则。", no_args_is_help=True
)
ledger_app = typer.Typer(help="保证金账。", no_args_is_help=True)
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("verify")
def verify() -> None:
    """重新加总全部分录，核对借贷平衡、账户余额和银行存款。"""
    started = time.perf_counter()
    with unit_of_work() as session:
        report = ledger.verify(session)
    took = time.perf_counter() - started
    if report.ok:
        typer.echo(
            f"保证金账核对通过：{report.entries} 笔分录、{report.postings} 条记账，用时 {took:.1f} 秒。"
        )
        return
    typer.echo(f"保证金账核对发现 {len(report.problems)} 处问题：", err=True)
    for line in report.problems[:50]:
        typer.echo(f"  - {line}", err=True)
    raise typer.Exit(1)


@app.command("verify-auction")
def verify_auction(path: Annotated[Path, typer.Argument(help="下载的竞价审计文件（JSON）")]) -> None:
    """校验竞价审计文件：序号连续、每条报价的哈希链完整。"""
    if not path.is_file():
        typer.echo(f"文件不存在：{path}", err=True)
        raise typer.Exit(2)
    verdict = chain.verify(path.read_bytes())
    typer.echo(verdict.message, err=not verdict.ok)
    if not verdict.ok:
        raise typer.Exit(1)


@app.command("import-statement")
def import_statement(path: Annotated[Path, typer.Argument(help="银行流水（XLSX 或 CSV）")]) -> None:
    """导入银行流水：按虚拟账号和付款人户名入账，非本人账户或未知账号挂账待核。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        out = statements.import_file(session, actor=SYSTEM, path=path, max_bytes=cfg.max_upload_bytes)
    typer.echo(
        f"已入账 {out.matched} 笔，挂账待核 {out.held + out.unknown} 笔，重复跳过 {out.duplicates} 笔。"
    )


@app.command("closer")
def closer(
    interval: Annotated[float, typer.Option(help="检查间隔（秒）")] = 0.2,
    once: Annotated[bool, typer.Option(help="只检查一次")] = False,
) -> None:
    """竞价计时器：持续结束已到截止时间的竞价场次（每轮一个事务批量结算），不依赖每分钟一次的任务节拍。"""
    cfg = settings()
    engine = make_engine(cfg.database_url, busy_timeout_ms=cfg.sqlite_busy_timeout_ms)
    factory = make_sessionmaker(write_engine(engine))
    typer.echo(f"竞价计时器已启动，每 {interval:g} 秒检查一次。")
    try:
        while True:
            began = time.monotonic()
            closed = close_due_now(factory)
            if closed:
                typer.echo(f"已结束 {closed} 个竞价场次。")
            if once:
                return
            time.sleep(max(0.0, interval - (time.monotonic() - began)))  # a slow round waits less
    except KeyboardInterrupt:
        return
    finally:
        engine.dispose()


def close_due_now(factory: sessionmaker[Session]) -> int:
    """Settle every lot past its deadline (set-based, one transaction; lot by lot if that fails)."""
    return closing.tick(factory, actor=SYSTEM)


@app.command("rulebook")
def rulebook() -> None:
    """以中文列出现行交易规则（按资产类别）。"""
    rb = book.load()
    typer.echo(f"交易规则版本 {rb.version}")
    for c in rb.classes.values():
        typer.echo(f"【{c.label}】")
        for key, value in rb.rules_for(c.code).items():
            typer.echo(f"  {RULE_LABELS[key]}：{value}")
