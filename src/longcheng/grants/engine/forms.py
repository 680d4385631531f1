"""Form fields kept as data, validated server-side: each answer checked against its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


def _check(field: dict[str, Any], raw: str) -> str | None:
    kind = field.get("type", "text")
    if len(raw) > int(field.get("max_length", 500)):
        return f"不能超过 {field.get('max_length', 500)} 个字"
    if kind in ("number", "amount"):
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return "须为数字"
        if kind == "amount" and (value < 0 or value != value.quantize(Decimal("0.01"))):
            return "须为非负金额，最多两位小数"
    elif kind == "date":
        try:
            date.fromisoformat(raw)
        except ValueError:
            return "须为日期，如 2026-03-15"
    elif kind == "choice" and raw not in field.get("choices", []):
        return "须为以下之一：" + "、".join(field.get("choices", []))
    return None


def validate(fields: list[dict[str, Any]], answers: dict[str, str]) -> dict[str, str]:
    """``{field code: Chinese problem}`` for every missing or invalid answer (empty when all good)."""
    problems: dict[str, str] = {}
    for field in fields:
        code = str(field["code"])
        raw = str(answers.get(code) or "").strip()
        if not raw:
            if field.get("required", True):
                problems[code] = f"请填写“{field['label']}”"
            continue
        problem = _check(field, raw)
        if problem:
            problems[code] = f"“{field['label']}”{problem}"
    return problems
