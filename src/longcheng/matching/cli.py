"""``longcheng matching``: rank capabilities for challenges from JSON-lines files (no database)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from longcheng.core.cliutil import fail
from longcheng.core.errors import LongchengError

app = typer.Typer(help="揭榜挂帅与产学研对接：需求与成果的匹配排序。", no_args_is_help=True)


@app.callback()
def _group() -> None:
    """揭榜挂帅与产学研对接：需求与成果的匹配排序。"""


@app.command("rank")
def rank(
    challenges: Annotated[
        Path, typer.Option("--challenges", help="需求（榜单）JSONL 文件，每行 {id, title, text}")
    ],
    capabilities: Annotated[
        Path, typer.Option("--capabilities", help="成果/能力 JSONL 文件，每行 {id, title, text}")
    ],
    top: Annotated[int, typer.Option("--top", min=1, max=1000, help="每个需求返回的条数")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="每个需求输出一行 JSON")] = False,
    lexical: Annotated[bool, typer.Option("--lexical", help="只用词法排序（不做语义重排）")] = False,
) -> None:
    """为每个需求排出最匹配的成果，并给出匹配理由。"""
    from longcheng.matching.ranker import Ranker
    from longcheng.matching.ranker.dense import HybridRanker, available
    from longcheng.matching.ranker.jsonl import read_docs

    try:
        wanted = read_docs(challenges, label="需求")
        offered = read_docs(capabilities, label="成果")
    except LongchengError as exc:
        fail(exc)
        return
    ranker = Ranker(offered)
    engine = ranker if lexical or not available() else HybridRanker(ranker)
    for challenge in wanted:
        matches = engine.rank(challenge, top=top)
        if as_json:
            line = {"challenge": challenge.id, "ranked": [match.as_json() for match in matches]}
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            continue
        typer.echo(f"需求 {challenge.id}：{challenge.title}")
        for rank_no, match in enumerate(matches, start=1):
            typer.echo(f"  {rank_no}. {match.id}  得分 {match.score:.3f}  " + "；".join(match.why))
