"""Reading the ranker's JSON-lines inputs, with Chinese errors naming the line."""

from __future__ import annotations

import json
from pathlib import Path

from longcheng.core.errors import ValidationFailed
from longcheng.matching.ranker.model import Doc


class BadRankInput(ValidationFailed):
    """An input line is not a JSON object with an ``id`` and a ``title`` or ``text``."""

    code = "matching.rank_input_invalid"
    message = "输入文件格式有误。"


def read_docs(path: Path, *, label: str) -> list[Doc]:
    """Every non-blank line of ``path`` as a :class:`Doc`; duplicate ids are refused."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadRankInput(f"无法读取{label}文件：{path}（{type(exc).__name__}）。") from exc
    docs: list[Doc] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadRankInput(f"{label}文件第 {number} 行不是合法的 JSON。") from exc
        if not isinstance(data, dict) or data.get("id") in (None, ""):
            raise BadRankInput(f"{label}文件第 {number} 行缺少 id。")
        doc = Doc.from_json(data)
        if doc.id in seen:
            raise BadRankInput(f"{label}文件第 {number} 行的 id「{doc.id}」重复。")
        seen.add(doc.id)
        docs.append(doc)
    return docs
