"""A readable Chinese diff between two rule sets ``{"defaults": {...}, "classes": {code: {...}}}``."""

from __future__ import annotations

from typing import Any

from longcheng.exchange.rulebook.book import RULE_LABELS

_VALUE_ZH = {
    "working": "工作日",
    "calendar": "自然日",
    "none": "不设",
    "once": "行使一次",
    "repeat": "可多次行使",
    "runner_up": "递补次高报价人",
    "relist": "重新挂牌",
}


def value_zh(value: Any) -> str:
    if value is None:
        return "（未设）"
    return _VALUE_ZH.get(str(value), str(value))


def _section(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = []
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            label = RULE_LABELS.get(key, key)
            lines.append(f"{where}·{label}：{value_zh(old.get(key))} → {value_zh(new.get(key))}")
    return lines


def diff(old: dict[str, Any], new: dict[str, Any], class_labels: dict[str, str]) -> list[str]:
    """One line per changed rule, e.g. ``默认规则·信息披露期（天）：10 → 15``."""
    lines = _section("默认规则", old.get("defaults", {}), new.get("defaults", {}))
    old_c, new_c = old.get("classes", {}), new.get("classes", {})
    for code in sorted(set(old_c) | set(new_c)):
        where = class_labels.get(code, code)
        lines += _section(where, old_c.get(code, {}), new_c.get(code, {}))
    return lines
