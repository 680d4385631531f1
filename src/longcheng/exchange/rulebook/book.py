"""Load the rulebook and answer: which rules apply to this class and mode, under which version."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

RULE_KEYS: dict[str, type] = {
    "disclosure_days": int,
    "disclosure_day_kind": str,
    "free_seconds": int,
    "countdown_seconds": int,
    "max_steps": int,
    "deposit_ratio_pct": int,
    "relist_floor_pct": int,
    "refund_working_days": int,
    "balance_working_days": int,
    "preemption": str,
    "on_default": str,
    "dutch_interval_seconds": int,
    "dutch_floor_pct": int,
}
RULE_LABELS = {
    "disclosure_days": "信息披露期（天）",
    "disclosure_day_kind": "披露期计算方式",
    "free_seconds": "自由报价期（秒）",
    "countdown_seconds": "限时报价倒计时（秒）",
    "max_steps": "单次最多加价幅度数",
    "deposit_ratio_pct": "保证金比例（%）",
    "relist_floor_pct": "重新挂牌价下限（评估价的%）",
    "refund_working_days": "保证金退还期限（工作日）",
    "balance_working_days": "余款支付期限（工作日）",
    "preemption": "优先权",
    "on_default": "买受人违约处理",
    "dutch_interval_seconds": "降价间隔（秒）",
    "dutch_floor_pct": "降价底价（挂牌价的%）",
}
CHOICES = {
    "disclosure_day_kind": {"working", "calendar"},
    "preemption": {"none", "once", "repeat"},
    "on_default": {"runner_up", "relist"},
}


class RulebookError(ValueError):
    """The rulebook file is invalid: the message names the key."""


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str
    required: bool = False
    min: float | None = None
    max: float | None = None
    pattern: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class AssetClass:
    code: str
    label: str
    fields: tuple[FieldSpec, ...]
    rules: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rulebook:
    version: str
    defaults: dict[str, Any]
    modes: dict[str, str]
    classes: dict[str, AssetClass]

    def rules_for(self, asset_class: str) -> dict[str, Any]:
        """The defaults, overridden by the asset class."""
        merged = dict(self.defaults)
        merged.update(self.classes[asset_class].rules)
        return merged


def _check_rules(where: str, rules: dict[str, Any]) -> dict[str, Any]:
    for key, value in rules.items():
        if key not in RULE_KEYS:
            raise RulebookError(f"{where}: 未知的规则项 {key}")
        if not isinstance(value, RULE_KEYS[key]) or isinstance(value, bool):
            raise RulebookError(f"{where}.{key}: 类型应为 {RULE_KEYS[key].__name__}")
        if key in CHOICES and value not in CHOICES[key]:
            raise RulebookError(f"{where}.{key}: 取值应为 {sorted(CHOICES[key])} 之一")
    return dict(rules)


def _field(where: str, raw: dict[str, Any]) -> FieldSpec:
    if raw.get("type") not in {"text", "uscc", "decimal", "int", "date", "choice", "items", "bool"}:
        raise RulebookError(f"{where}: 未知的字段类型 {raw.get('type')}")
    return FieldSpec(
        key=str(raw["key"]),
        label=str(raw["label"]),
        type=str(raw["type"]),
        required=bool(raw.get("required", False)),
        min=raw.get("min"),
        max=raw.get("max"),
        pattern=raw.get("pattern"),
        choices=tuple(raw.get("choices", ())),
    )


def parse(data: dict[str, Any], *, source: str = "rulebook.yaml") -> Rulebook:
    """A checked rulebook from its parsed YAML; :class:`RulebookError` names the bad key."""
    try:
        defaults = _check_rules(f"{source}: defaults", data["defaults"])
        missing = set(RULE_KEYS) - set(defaults)
        if missing:
            raise RulebookError(f"{source}: defaults 缺少 {sorted(missing)}")
        classes = {
            code: AssetClass(
                code=code,
                label=str(c["label"]),
                fields=tuple(_field(f"{source}: classes.{code}.fields", f) for f in c["fields"]),
                rules=_check_rules(f"{source}: classes.{code}.rules", c.get("rules", {})),
            )
            for code, c in data["classes"].items()
        }
        modes = {code: str(m["label"]) for code, m in data["modes"].items()}
        return Rulebook(version=str(data["version"]), defaults=defaults, modes=modes, classes=classes)
    except (KeyError, TypeError) as exc:
        raise RulebookError(f"{source}: 缺少或错误的项 {exc}") from exc


@cache
def load() -> Rulebook:
    """The packaged rulebook (read once)."""
    text = resources.files("longcheng.exchange.data").joinpath("rulebook.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))
