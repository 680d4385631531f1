"""``longcheng intel ingest|reindex|relink|projects``: the library from the command line.

``ingest`` takes files and folders, stores each file in its own transaction (a bad file never
undoes the good ones, and never stops the run), shows a progress bar on long runs, indexes what
was stored, offers the new facts to the projects module, and ends with a summary of stored,
duplicate and skipped files with their Chinese reasons. The exit code is 1 only when no file at
all could be ingested. ``projects`` offers stored facts to the projects module again.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from longcheng.core import hooks, users
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.cliutil import fail, settings
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.errors import LongchengError
from longcheng.core.progress import cli_progress
from longcheng.intel import ingest
from longcheng.intel.search import IndexDoc
from longcheng.intel.service.ingest import FileOutcome, IngestContext, ingest_path, prepare
from longcheng.intel.service.links import load_directory, relink
from longcheng.intel.service.search import index_items, reindex

_INDEX_BATCH = 5000
_TABLE_ROWS = 40
_STATUS = {"stored": "[green]已入库[/]", "duplicate": "[yellow]重复[/]", "skipped": "[red]跳过[/]"}

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


@contextmanager
def _sessions(cfg: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(cfg.database_url, busy_timeout_ms=cfg.sqlite_busy_timeout_ms)
    try:
        yield make_sessionmaker(write_engine(engine))
    finally:
        engine.dispose()


def _actor(factory: sessionmaker[Session], username: str | None) -> Actor:
    if username is None:
        return SYSTEM
    with transaction(factory) as session:
        user = users.get_by_username(session, username)
        if user is None or not user.is_active:
            typer.echo(f"用户 {username} 不存在或已停用。", err=True)
            raise typer.Exit(2)
        return user.to_actor()


def _one(factory: sessionmaker[Session], actor: Actor, ctx: IngestContext, path: Path) -> FileOutcome:
    """One file in its own transaction; whatever goes wrong becomes a skipped outcome."""
    try:
        with transaction(factory) as session:
            return ingest_path(session, actor=actor, ctx=ctx, path=path)
    except LongchengError as exc:
        return FileOutcome(path.name, "skipped", code=exc.code_text, message=exc.message_text)
    except SQLAlchemyError as exc:
        message = f"保存到数据库时出错，未保存任何内容（{type(exc).__name__}）。请重试或联系管理员。"
        return FileOutcome(path.name, "skipped", code="intel.store_failed", message=message)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a night's batch
        message = (
            f"处理该文件时发生内部错误（{type(exc).__name__}），未保存任何内容。请把文件交给系统管理员排查。"
        )
        return FileOutcome(path.name, "skipped", code="intel.internal_error", message=message)


def _index(cfg: Settings, docs: list[IndexDoc], outcomes: list[FileOutcome]) -> None:
    try:
        index_items(cfg.data_dir, docs)
    except LongchengError as exc:
        outcomes.append(
            FileOutcome(
                "（检索索引）",
                "skipped",
                code=exc.code_text,
                message=exc.message_text + "稍后可运行 longcheng intel reindex 重建。",
            )
        )
    docs.clear()


def ingest_command(
    paths: Annotated[list[Path], typer.Argument(help="文件或文件夹（.txt .htm .html .pdf）")],
    max_mb: Annotated[
        int, typer.Option("--max-mb", help="单个文件的大小上限（MB），更大的文件不读取、直接拒绝")
    ] = 50,
    index: Annotated[bool, typer.Option("--index/--no-index", help="同时写入检索索引")] = True,
    projects: Annotated[
        bool, typer.Option("--projects/--no-projects", help="把新入库的事实通告读取新闻的模块（如重大项目）")
    ] = True,
    user: Annotated[
        str | None, typer.Option("--user", help="以该用户身份导入（记入操作痕迹）；默认为系统")
    ] = None,
) -> None:
    """导入新闻、简报文件：存档、拆分文章、抽取事实、关联机构、建立检索索引并移交重大项目。"""
    cfg = settings()
    outcomes: list[FileOutcome] = []

    def skip(s: ingest.SkippedPath) -> None:
        outcomes.append(FileOutcome(str(s.path), "skipped", code=s.code, message=s.message))

    files = list(ingest.iter_paths(paths, on_skip=skip))
    with _sessions(cfg) as factory:
        actor = _actor(factory, user)
        try:
            with transaction(factory) as session:
                ctx = prepare(session, actor=actor, data_dir=cfg.data_dir, max_bytes=max_mb * 1024 * 1024)
        except LongchengError as exc:
            fail(exc)
        outcomes += _run(cfg, factory, actor, ctx, files, index=index)
        fact_ids = [i for o in outcomes for i in o.fact_ids]
        handed = _hand_off(factory, actor, fact_ids) if projects and fact_ids else None
    _summary(outcomes)
    if handed:
        out.print(handed)
    if not any(o.status in ("stored", "duplicate") for o in outcomes):
        raise typer.Exit(1)


def _run(
    cfg: Settings,
    factory: sessionmaker[Session],
    actor: Actor,
    ctx: IngestContext,
    files: list[Path],
    *,
    index: bool,
) -> list[FileOutcome]:
    """Every file in turn under a progress bar; index items are written in batches."""
    outcomes: list[FileOutcome] = []
    pending: list[IndexDoc] = []
    with cli_progress("导入", stream=sys.stderr) as report:
        for done, path in enumerate(files):
            if len(files) > 1:
                report(100 * done // len(files), f"{done}/{len(files)} {path.name[:30]}")
            outcome = _one(factory, actor, ctx, path)
            outcomes.append(outcome)
            pending += outcome.index_docs if index else []
            outcome.index_docs = []
            if len(pending) >= _INDEX_BATCH:
                _index(cfg, pending, outcomes)
        if len(files) > 1:
            report(100, f"{len(files)}/{len(files)} 个文件")
    if pending:
        _index(cfg, pending, outcomes)
    return outcomes


def _hand_off(factory: sessionmaker[Session], actor: Actor, fact_ids: list[int]) -> str:
    """Announce the new facts to the modules that read the news; a failure there never undoes the ingest."""
    try:
        with transaction(factory) as session:
            replies = hooks.publish(hooks.FACTS_STORED, session, actor=actor, fact_ids=fact_ids)
    except (LongchengError, SQLAlchemyError) as exc:
        return f"移交其他模块未完成（{escape(str(exc))}），可稍后运行 longcheng projects pull-evidence 重试。"
    return "\n".join(r.summary for r in replies)


def _summary(outcomes: list[FileOutcome]) -> None:
    stored = [o for o in outcomes if o.status == "stored"]
    duplicate = [o for o in outcomes if o.status == "duplicate"]
    skipped = [o for o in outcomes if o.status == "skipped"]
    if len(outcomes) <= _TABLE_ROWS:
        table = Table("文件", "结果", "文章", "事实", "自动关联", "待确认")
        for o in outcomes:
            counts = (o.articles, o.facts, o.links.auto, o.links.proposed)
            table.add_row(escape(o.name), _STATUS[o.status], *(str(n) for n in counts))
        out.print(table)
    for o in [*duplicate, *skipped, *(o for o in stored if o.warnings)]:
        note = f"[{o.code}] {o.message}" if o.code else "；".join(o.warnings)
        out.print(f"  {_STATUS[o.status]} {escape(o.name)}：{escape(note)}")
    auto, proposed = sum(o.links.auto for o in stored), sum(o.links.proposed for o in stored)
    out.print(
        f"导入完成：共 {len(outcomes)} 个文件；新入库 {len(stored)} 个"
        f"（文章 {sum(o.articles for o in stored)} 篇，事实 {sum(o.facts for o in stored)} 条，"
        f"自动关联 {auto} 条，待确认 {proposed} 条）；重复 {len(duplicate)} 个；跳过 {len(skipped)} 个。"
    )


def reindex_command() -> None:
    """从数据库重建检索索引（索引是派生数据，可随时重建）。"""
    cfg = settings()
    with (
        _sessions(cfg) as factory,
        transaction(factory) as session,
        cli_progress("重建检索索引", stream=sys.stderr) as report,
    ):
        seen = [0]

        def item() -> None:
            seen[0] += 1
            if seen[0] % 1000 == 0:
                report(0, f"已处理 {seen[0]} 条")

        try:
            count = reindex(session, actor=SYSTEM, data_dir=cfg.data_dir, on_item=item)
        except LongchengError as exc:
            fail(exc)
    out.print(f"检索索引已重建：共 {count} 条（文章与事实）。")


def relink_command() -> None:
    """按当前机构名录重新关联尚未关联机构的事实（名录新增机构后运行）。"""
    cfg = settings()
    with _sessions(cfg) as factory:
        try:
            with transaction(factory) as session:
                counts = relink(session, actor=SYSTEM, directory=load_directory(session, actor=SYSTEM))
        except LongchengError as exc:
            fail(exc)
    out.print(f"重新关联完成：自动关联 {counts.auto} 条，待确认 {counts.proposed} 条。")
