"""``longcheng backup`` and ``longcheng restore``: thin commands over :mod:`.service`.

The top-level command line registers both and has called ``longcheng.modules.load_models()``
before they run, so ``core.db.Base.metadata`` holds every module's tables.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from longcheng.core.actors import SYSTEM
from longcheng.core.cliutil import fail, settings, unit_of_work
from longcheng.core.db import Base, make_engine
from longcheng.core.errors import LongchengError
from longcheng.platform.backup import service


class PlainProgress:
    """One line per step when the output is not a terminal (logs, pipes, tests)."""

    def __init__(self) -> None:
        self._label, self._total, self._done = "", 0, 0

    def start(self, label: str, total: int) -> None:
        self._finish()
        self._label, self._total, self._done = label, total, 0

    def advance(self, count: int) -> None:
        self._done += count

    def _finish(self) -> None:
        if self._label:
            typer.echo(f"{self._label}：{self._done}/{self._total}", err=True)
            self._label = ""

    def close(self) -> None:
        self._finish()


class BarProgress:
    """A rich progress bar on the terminal, one row per step."""

    def __init__(self) -> None:
        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self._bar.start()
        self._task: int | None = None

    def start(self, label: str, total: int) -> None:
        self._task = self._bar.add_task(label, total=total)

    def advance(self, count: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, count)  # type: ignore[arg-type]

    def close(self) -> None:
        self._bar.stop()


def _progress() -> PlainProgress | BarProgress:
    return BarProgress() if sys.stderr.isatty() else PlainProgress()


backup_app = typer.Typer()
restore_app = typer.Typer()


@backup_app.command("backup")
def backup(out: Annotated[Path, typer.Option("--out", help="备份文件路径（.tar）")]) -> None:
    """备份整个数据库和文件库。

    每张表和文件库写入一个备份文件；可在服务运行时执行。
    """
    cfg = settings()
    engine = make_engine(cfg.database_url, busy_timeout_ms=cfg.sqlite_busy_timeout_ms)
    progress = _progress()
    try:
        manifest = service.backup(
            engine, metadata=Base.metadata, data_dir=cfg.data_dir, out=out, progress=progress
        )
    except LongchengError as exc:
        fail(exc)
    finally:
        progress.close()
        engine.dispose()
    rows = sum(t.rows for t in manifest.tables)
    typer.echo(
        f"已备份到 {out}：{len(manifest.tables)} 张表共 {rows} 行，{len(manifest.files)} 个文件，"
        f"数据库结构版本 {','.join(manifest.revisions)}。"
    )
    typer.echo("全文检索索引是派生数据，未备份；恢复后运行 longcheng intel reindex 重建。")


@restore_app.command("restore")
def restore(archive: Annotated[Path, typer.Argument(help="longcheng backup 生成的备份文件")]) -> None:
    """把备份恢复到一个空数据库。

    SQLite 或 PostgreSQL，由 LONGCHENG_DATABASE_URL 指定。
    """
    cfg = settings()
    if not archive.is_file():
        typer.echo(f"错误：找不到备份文件 {archive}。", err=True)
        raise typer.Exit(1)
    engine = make_engine(cfg.database_url, busy_timeout_ms=cfg.sqlite_busy_timeout_ms)
    try:
        manifest = service.open_archive(archive)
        service.prepare_target(engine, manifest)
    except LongchengError as exc:
        fail(exc)
    finally:
        engine.dispose()
    progress = _progress()
    try:
        with unit_of_work(cfg) as session:
            service.load(
                session,
                actor=SYSTEM,
                metadata=Base.metadata,
                manifest=manifest,
                archive=archive,
                data_dir=cfg.data_dir,
                progress=progress,
            )
    finally:
        progress.close()
    rows = sum(t.rows for t in manifest.tables)
    typer.echo(f"已恢复 {len(manifest.tables)} 张表共 {rows} 行、{len(manifest.files)} 个文件。")
    typer.echo("请运行 longcheng audit verify 校验操作痕迹，运行 longcheng intel reindex 重建全文检索索引。")
