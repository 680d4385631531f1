"""``longcheng intel ...``: news intelligence from the command line.

``extract`` prints the money facts of text files as JSON Lines (one fact per line, UTF-8, keys
as ``longcheng.intel.extractor.fact_to_json`` writes them). Files may be UTF-8, UTF-8 with BOM
or GBK/GB18030; a BOM is not part of the text, so ``span`` counts characters of the decoded
text after the BOM. Empty, binary and unreadable files are reported on stderr in Chinese; the
exit code is non-zero only when no file at all could be read.
"""

from __future__ import annotations

import codecs
import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from charset_normalizer import from_bytes

from longcheng.intel.extractor import Extractor, fact_to_json

app = typer.Typer(help="招商情报：从新闻和简报中抽取带出处的事实。", no_args_is_help=True)

MAX_BYTES = 100 * 1024 * 1024
_CONTROL_LIMIT = 0.01


class UnreadableFile(Exception):
    """A file that is not text we can read; the message is Chinese and names the file."""


@app.callback()
def intel() -> None:
    """招商情报：新闻与简报 → 带出处的事实。"""


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data, 0, len(data), "no text encoding fits")
    return str(best)


def read_text(path: Path) -> str:
    """The text of ``path``; ``UnreadableFile`` with a Chinese reason when it has none."""
    if not path.is_file():
        raise UnreadableFile(f"找不到文件：{path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UnreadableFile(f"文件过大（{size // (1024 * 1024)} MB，上限 100 MB），请拆分后再抽取：{path}")
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableFile(f"文件为空：{path}")
    if b"\x00" in data:
        raise UnreadableFile(f"不是文本文件（疑似二进制文件）：{path}")
    try:
        text = _decode(data)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableFile(f"无法识别文件编码（支持 UTF-8、GBK/GB18030）：{path}") from exc
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\r\n\t\f")
    if controls > _CONTROL_LIMIT * len(text):
        raise UnreadableFile(f"不是文本文件（疑似二进制文件）：{path}")
    return text


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


@app.command("extract")
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
