"""``longcheng projects ...``: the monthly report, the import template and import, light recompute."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Annotated

import typer

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import fail, settings, unit_of_work
from longcheng.core.clock import SHANGHAI
from longcheng.core.errors import LongchengError
from longcheng.core.progress import cli_progress
from longcheng.projects import importer
from longcheng.projects.evidence.service import pull_from_intel, summary_of
from longcheng.projects.report.service import write_report
from longcheng.projects.schedule.progress import Month
from longcheng.projects.service.recompute import recompute_all

app = typer.Typer(help="重大项目：督查专报、导入模板与批量导入、状态灯重算。", no_args_is_help=True)


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except LongchengError as exc:
        fail(exc)
        raise


@app.command("report")
def report(
    month: Annotated[str, typer.Option("--month", help="报告月份，如 2026-10")],
    out: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("."),
) -> None:
    """生成当月督查专报（XLSX 与 PDF）。"""
    wanted = _month(month)
    started = time.perf_counter()
    with cli_progress("督查专报", stream=sys.stderr) as progress, unit_of_work() as session:
        progress(0, f"汇总并写出{wanted.label}专报")
        written = write_report(session, actor=SYSTEM, month=wanted, out_dir=out)
        progress(100, f"{written.projects} 个项目")
    typer.echo(
        f"已生成{wanted.label}督查专报：{written.projects} 个项目，"
        f"用时 {time.perf_counter() - started:.1f} 秒。"
    )
    typer.echo(f"  Excel：{written.xlsx}")
    typer.echo(f"  PDF：{written.pdf}")


@app.command("template")
def template(out: Annotated[Path, typer.Option("--out", help="模板保存路径（.xlsx）")]) -> None:
    """生成带中文表头和填写说明的项目导入模板。"""
    out.write_bytes(importer.template_xlsx())
    typer.echo(f"已生成项目导入模板：{out}")


@app.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="XLSX 或 CSV 文件")],
) -> None:
    """导入项目：任何一行有误时不写入任何数据，并列出所有错误行。"""
    cfg = settings()
    with unit_of_work(cfg) as session:
        with cli_progress("导入项目", stream=sys.stderr) as progress:
            progress(0, f"校验并写入 {path.name}")
            result = importer.run_import(
                session, actor=SYSTEM, path=path, max_bytes=max(cfg.max_upload_bytes, 1 << 30)
            )
            progress(100, f"已处理 {result.rows} 行")
        if not result.ok:
            session.rollback()
            typer.echo(f"未导入任何数据：{result.rows} 行中发现 {result.error_count} 处错误。", err=True)
            for e in result.errors:
                typer.echo(f"第 {e.line} 行 [{e.column}]：{e.message}", err=True)
            raise typer.Exit(1)
    typer.echo(f"导入成功：共 {result.rows} 行，新建 {result.created} 个项目。")


@app.command("lights")
def lights() -> None:
    """按当前阈值重算全部项目的状态灯（适合每日定时执行）。"""
    started = time.perf_counter()
    with unit_of_work() as session:
        result = recompute_all(session, actor=SYSTEM)
    counts = "，".join(f"{light.label}{n}个" for light, n in result.counts.items())
    typer.echo(
        f"已重算 {result.projects} 个项目的状态灯（{counts}），{result.changed} 个有变化，"
        f"用时 {time.perf_counter() - started:.2f} 秒。"
    )


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"日期应写成 YYYY-MM-DD，例如 2024-03-01；收到：{value}") from exc
    return datetime.combine(day, dt_time(), tzinfo=SHANGHAI)


@app.command("pull-evidence")
def pull_evidence(
    since: Annotated[
        str | None, typer.Option("--since", help="只读取该日期（YYYY-MM-DD，北京时间）之后入库的新闻事实")
    ] = None,
) -> None:
    """从招商情报读取签约、开工、竣工、投产和投资事实，作为项目佐证或新线索（已读取的不会重复）。"""
    start = _since(since)
    try:
        with unit_of_work() as session:
            outcome = pull_from_intel(session, actor=SYSTEM, since=start)
    except LongchengError as exc:
        fail(exc)
    typer.echo(f"{summary_of(outcome)}未匹配 {outcome.unmatched} 条。")
