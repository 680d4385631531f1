"""``longcheng intel extract``: the money facts of text files as JSON Lines, no database.

One fact per line, UTF-8, keys as ``longcheng.intel.extractor.fact_to_json`` writes them. Files
may be UTF-8, UTF-8 with BOM or GBK/GB18030 (and HTML or PDF); a BOM is not part of the text and
line ends count as one character, so ``span`` counts characters of the decoded text. Empty,
binary and unreadable files are reported on stderr in Chinese; the exit code is non-zero only
when no file at all could be read.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from longcheng.intel import ingest
from longcheng.intel.extractor import Extractor, fact_to_json

MAX_BYTES = 100 * 1024 * 1024


class UnreadableFile(Exception):
    """A file that is not text we can read; the message is Chinese and names the file."""


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The text of ``path`` as ingest decodes it; ``UnreadableFile`` with a Chinese reason.

    Decoding is :func:`longcheng.intel.ingest.read_text` (BOM, UTF-8, GBK/GB18030, mixed
    lines; HTML and PDF reduced to their text; line ends normalised to ``\\n``).
    """
    if not path.is_file():
        raise UnreadableFile(f"找不到文件：{path}")
    size = path.stat().st_size
    if size > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise UnreadableFile(
            f"文件过大（{size // (1024 * 1024)} MB，上限 {limit} MB），请拆分后再抽取：{path}"
        )
    try:
        return ingest.read_text(path.read_bytes(), path.name, max_bytes=max_bytes).text
    except ingest.IngestError as exc:
        raise UnreadableFile(f"{exc.message_text}：{path}") from exc


def _published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(f"发布日期应写成 YYYY-MM-DD，例如 2023-07-20；收到：{value}") from exc


def _known_orgs(path: Path | None) -> list[str]:
    if path is None:
        return []
    return [line.strip() for line in read_text(path).splitlines() if line.strip()]


def extract(
    files: Annotated[list[Path], typer.Argument(help="文本文件（UTF-8、带 BOM 的 UTF-8 或 GBK）")],
    published: Annotated[
        str | None, typer.Option("--published", help="发布日期 YYYY-MM-DD，用于解析“去年12月”“今年一季度”等")
    ] = None,
    orgs: Annotated[Path | None, typer.Option("--orgs", help="已知机构名称清单，每行一个（UTF-8）")] = None,
) -> None:
    """抽取金额事实，按 JSON Lines 逐行输出到标准输出。"""
    base = _published(published)
    try:
        extractor = Extractor(known_orgs=_known_orgs(orgs))
    except UnreadableFile as exc:
        typer.echo(f"机构清单无法读取：{exc}", err=True)
        raise typer.Exit(2) from exc
    read = 0
    for path in files:
        try:
            text = read_text(path)
        except UnreadableFile as exc:
            typer.echo(str(exc), err=True)
            continue
        read += 1
        for fact in extractor.extract(text, base):
            typer.echo(json.dumps(fact_to_json(fact, path.name), ensure_ascii=False))
    if read == 0:
        typer.echo("没有可读取的文件，未抽取任何事实。", err=True)
        raise typer.Exit(1)
