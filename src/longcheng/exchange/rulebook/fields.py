"""Check a listing's class fields against the class schema, server-side; every problem by label."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from longcheng.core.ids import is_valid_uscc
from longcheng.exchange.rulebook.book import AssetClass, FieldSpec


def _number(spec: FieldSpec, raw: Any) -> tuple[Any, str | None]:
    try:
        value: Any = int(str(raw)) if spec.type == "int" else Decimal(str(raw).strip())
    except (ValueError, InvalidOperation):
        return None, "须为数字"
    if spec.min is not None and value < Decimal(str(spec.min)):
        return None, f"不得小于 {spec.min}"
    if spec.max is not None and value > Decimal(str(spec.max)):
        return None, f"不得大于 {spec.max}"
    return (str(value) if spec.type == "decimal" else value), None


def _items(raw: Any) -> tuple[Any, str | None]:
    if not isinstance(raw, list) or not raw:
        return None, "须列出至少一项（名称与数量）"
    out = []
    for item in raw:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            return None, "每一项须有名称"
        try:
            qty = int(item.get("quantity", 0))
        except (TypeError, ValueError):
            return None, "数量须为整数"
        if qty <= 0:
            return None, "数量须大于零"
        out.append({"name": str(item["name"]).strip()[:100], "quantity": qty})
    return out, None


def _one(spec: FieldSpec, raw: Any) -> tuple[Any, str | None]:
    if spec.type in ("int", "decimal"):
        return _number(spec, raw)
    if spec.type == "items":
        return _items(raw)
    if spec.type == "bool":
        return bool(raw), None
    text = str(raw).strip()
    if spec.type == "uscc" and not is_valid_uscc(text.upper()):
        return None, "统一社会信用代码无效"
    if spec.type == "date":
        try:
            return date.fromisoformat(text).isoformat(), None
        except ValueError:
            return None, "日期格式应为 YYYY-MM-DD"
    if spec.type == "choice" and text not in spec.choices:
        return None, f"须为 {'、'.join(spec.choices)} 之一"
    if spec.pattern and not re.fullmatch(spec.pattern, text.upper() if spec.key == "vin" else text):
        return None, "格式不正确"
    return (text.upper() if spec.type == "uscc" else text[:500]), None


def _blank(raw: Any) -> bool:
    return (
        raw is None or (isinstance(raw, str | list) and not raw) or (isinstance(raw, str) and not raw.strip())
    )


def clean(asset_class: AssetClass, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The cleaned fields and the problems, keyed by the field's Chinese label."""
    cleaned: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for spec in asset_class.fields:
        raw = data.get(spec.key)
        if _blank(raw):
            if spec.required:
                problems[spec.label] = "必填"
            continue
        value, problem = _one(spec, raw)
        if problem:
            problems[spec.label] = problem
        else:
            cleaned[spec.key] = value
    unknown = sorted(set(data) - {s.key for s in asset_class.fields})
    if unknown:
        problems["其他字段"] = f"该类别没有这些字段：{'、'.join(unknown)}"
    return cleaned, problems
