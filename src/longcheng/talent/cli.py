"""``longcheng talent``: re-encrypt after a key rotation, import a source, run a month, grant talent:pii."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import fail, settings, unit_of_work
from longcheng.core.clock import utcnow
from longcheng.core.errors import LongchengError
from longcheng.core.pii import vault
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.talent import importer
from longcheng.talent.service import pii, runs, sources

app = typer.Typer(help="青年人才生活补贴直兑：密钥轮换后重新加密、数据导入、月度核定。", no_args_is_help=True)


@app.command("rotate-key")
def rotate_key() -> None:
    """用当前密钥重新加密人才档案中的身份证号码和银行账号（先运行 longcheng keys rotate）。"""
    cfg = settings()
    vault.configure(cfg)
    try:
        vault.reload()
    except LongchengError as exc:
        fail(exc)
    with unit_of_work(cfg) as session:
        count = pii.rotate(session, actor=SYSTEM)
    typer.echo(f"已重新加密 {count} 人的个人信息（当前密钥 {vault.ring().active}）。")


@app.command("import")
def import_source(
    source: Annotated[
        str,
        typer.Argument(help="数据源：social_insurance（人社社保）、degree（学历）、employer（用人单位申报）"),
    ],
    path: Annotated[Path, typer.Argument(help="CSV 或 XLSX 文件", exists=True, dir_okay=False)],
) -> None:
    """导入一个数据源文件：全部正确才写入，否则列出每一处错误。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        report = sources.run_import(
            session,
            actor=SYSTEM,
            source=source,
            path=path,
            max_bytes=cfg.max_upload_bytes,
            filename=path.name,
        )
        if not report.ok:
            session.rollback()
    if not report.ok:
        typer.echo(f"未导入任何数据：{report.rows} 行中发现 {report.error_count} 处错误。", err=True)
        for e in report.errors[:50]:
            typer.echo(f"  第 {e.line} 行 [{e.column}]：{e.message}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{importer.SOURCES[source]}导入成功：{report.rows} 行，变更 {report.changed} 条。")


@app.command("run")
def run(month: Annotated[str, typer.Argument(help="核定月份，如 2025-06")]) -> None:
    """核定一个月的青年人才生活补贴（数据源过期时拒绝并说明）。"""
    with unit_of_work() as session:
        done = runs.run_month(session, actor=SYSTEM, month=month, key=f"cli:{month}:{utcnow().isoformat()}")
        typer.echo(
            f"{month}：{done.population} 人参与核定，{done.qualifying} 人符合条件，"
            f"合计 {fen_to_yuan(done.total_fen)} 元；"
            f"新增 {done.new_count} 人，停发 {done.stopped_count} 人，支付明细 {done.payment_lines} 条。"
        )


@app.command("grant-pii")
def grant_pii(username: Annotated[str, typer.Argument(help="区县工作人员的用户名")]) -> None:
    """授予工作人员查看完整身份证号码和银行账号的权限（talent:pii），每次查看都记入痕迹。"""
    with unit_of_work() as session:
        pii.grant(session, actor=SYSTEM, username=username)
    typer.echo(f"已授予 {username} 查看完整号码的权限。")
