"""``longcheng schedules``: list the periodic tasks, load the defaults, check a schedules file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from longcheng.core.cliutil import fail, unit_of_work
from longcheng.core.clock import format_local
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.schedules import service as schedule_service

app = typer.Typer(help="定时任务（北京时间 cron，可限工作日）。", no_args_is_help=True)


@app.command("list")
def list_schedules() -> None:
    """列出定时任务及其上次、下次运行时间。"""
    with unit_of_work() as session:
        for s in schedule_service.list(session):
            nxt = schedule_service.next_run(s)
            last = format_local(s.last_due_at) if s.last_due_at else "尚未运行"
            flag = "启用" if s.enabled else "停用"
            upcoming = format_local(nxt) if nxt else "—"
            typer.echo(f"{s.name:28s} {s.cron:14s} {flag} 上次 {last} 下次 {upcoming}")


@app.command("sync")
def sync(
    file: Annotated[Path | None, typer.Option(help="定时任务 YAML 文件（默认为内置文件）")] = None,
) -> None:
    """把定时任务配置载入数据库（cron 无效时指出文件和行号，不作任何修改）。"""
    try:
        specs = (
            schedule_service.parse_file(file.read_text("utf-8"), source=str(file))
            if file is not None
            else schedule_service.default_specs()
        )
    except schedule_service.ScheduleFileError as exc:
        fail(exc)
        return
    with unit_of_work() as session:
        changed = schedule_service.sync(session, specs, actor=WORKER)
    typer.echo(f"已载入 {len(specs)} 个定时任务，其中 {changed} 个新增或更新。")
