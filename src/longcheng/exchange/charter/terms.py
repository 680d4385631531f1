"""Load the alliance charter with line numbers, check member overrides, split fees."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from longcheng.exchange.rulebook.book import CHOICES, RULE_KEYS, RULE_LABELS


class CharterError(ValueError):
    """The charter file, or an override, breaks the rules: the message names where and which key."""

    def __init__(self, message: str, *, key: str = "") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Bound:
    key: str
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.choices:
            return "可选 " + "、".join(self.choices)
        return f"{self.min} 至 {self.max}"


@dataclass(frozen=True)
class Charter:
    bounds: dict[str, Bound]
    tiers: tuple[tuple[int, int], ...]  # (upper bound in 万元, 0 = no bound; permille)
    buyer_side_pct: int
    tendering: dict[str, Any]


def _lines(node: yaml.Node, path: str = "") -> dict[str, int]:
    """Every mapping key's dotted path → its 1-based line in the file."""
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            here = f"{path}.{key_node.value}" if path else str(key_node.value)
            out[here] = key_node.start_mark.line + 1
            out.update(_lines(value_node, here))
    return out


def _bound(key: str, raw: Any) -> Bound:
    if key not in RULE_KEYS:
        raise CharterError("不是交易规则中的规则项", key=key)
    if not isinstance(raw, dict):
        raise CharterError("须写明 min/max 或 choices", key=key)
    if "choices" in raw:
        choices = tuple(str(c) for c in raw["choices"])
        if not set(choices) <= CHOICES.get(key, set()):
            raise CharterError("可选值不在规则允许的取值中", key=key)
        return Bound(key, choices=choices)
    lo, hi = raw.get("min"), raw.get("max")
    if not isinstance(lo, int) or not isinstance(hi, int) or lo > hi:
        raise CharterError("min 与 max 须为整数且 min ≤ max", key=key)
    return Bound(key, lo, hi)


def _build(data: dict[str, Any]) -> Charter:
    bounds = {k: _bound(k, v) for k, v in data["overridable"].items()}
    fees = data["fees"]
    tiers = tuple((int(t["up_to_wan"]), int(t["permille"])) for t in fees["tiers"])
    if not tiers or tiers[-1][0] != 0:
        raise CharterError("最后一档的 up_to_wan 须为 0（不设上限）", key="fees.tiers")
    split = fees["buyer_side_pct"]
    if not isinstance(split, int) or not 0 <= split <= 100:
        raise CharterError("须为 0 至 100 的整数", key="fees.buyer_side_pct")
    tendering = dict(data["tendering"])
    if not 0 < int(tendering["security_max_pct"]) <= 2:
        raise CharterError("投标保证金比例须大于 0 且不超过 2", key="tendering.security_max_pct")
    _check_procedures(tendering.get("procedures"))
    return Charter(bounds, tiers, split, tendering)


AWARDS = ("evaluation", "lowest_price")


def _check_procedures(raw: Any) -> None:
    """Each procedure (采购方式) names its minimum suppliers, rounds, award rule and flags."""
    if not isinstance(raw, dict) or not raw:
        raise CharterError("须列出各采购方式", key="tendering.procedures")
    for code, rule in raw.items():
        where = f"tendering.procedures.{code}"
        if not isinstance(rule, dict):
            raise CharterError("须为映射", key=where)
        for key in ("min_suppliers", "rounds"):
            value = rule.get(key)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
                raise CharterError(f"{key} 须为 1 至 10 的整数", key=where)
        if rule.get("award") not in AWARDS:
            raise CharterError("award 须为 evaluation 或 lowest_price", key=where)
        if not isinstance(rule.get("invited"), bool) or not isinstance(rule.get("revisable"), bool):
            raise CharterError("invited 与 revisable 须为 true 或 false", key=where)


def parse(text: str, *, source: str = "alliance.yaml") -> Charter:
    """A checked charter; :class:`CharterError` says ``file:line: key: reason``."""
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise CharterError(f"{source}:{line}: YAML 语法错误", key="") from exc
    lines = _lines(node) if node is not None else {}
    try:
        return _build(data)
    except CharterError as exc:
        where = exc.key if exc.key in lines else f"overridable.{exc.key}"
        line = lines.get(where, 0)
        raise CharterError(f"{source}:{line}: {where}: {exc}", key=where) from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CharterError(f"{source}:0: 缺少或错误的项 {exc}", key=str(exc)) from exc


@cache
def load() -> Charter:
    """The packaged charter (read once)."""
    text = resources.files("longcheng.exchange.data").joinpath("alliance.yaml").read_text("utf-8")
    return parse(text)


def check_override(charter: Charter, key: str, value: Any) -> Any:
    """The override value if the member may set ``key`` to it; :class:`CharterError` otherwise."""
    label = RULE_LABELS.get(key, key)
    bound = charter.bounds.get(key)
    if bound is None:
        raise CharterError(f"联盟规则不允许会员机构调整“{label}”。", key=key)
    if bound.choices:
        if value not in bound.choices:
            raise CharterError(f"“{label}”须为 {'、'.join(bound.choices)} 之一。", key=key)
        return value
    if not isinstance(value, int) or isinstance(value, bool):
        raise CharterError(f"“{label}”须为整数。", key=key)
    if not (bound.min or 0) <= value <= (bound.max or 0):
        raise CharterError(f"“{label}”须在 {bound.describe()} 之间，收到 {value}。", key=key)
    return value


def commission(charter: Charter, price_fen: int) -> int:
    """The 佣金 in fen on a deal price, by tier (each tier's rate on the part inside it)."""
    total, lower = 0, 0
    for upper_wan, permille in charter.tiers:
        upper = upper_wan * 1_000_000 if upper_wan else price_fen
        part = max(0, min(price_fen, upper) - lower)
        total += part * permille // 1000
        lower = max(lower, upper)
        if price_fen <= lower:
            break
    return total


def split_fee(charter: Charter, fee_fen: int, *, same_institution: bool) -> tuple[int, int]:
    """(listing institution's part, buyer's institution's part) of a fee."""
    if same_institution:
        return fee_fen, 0
    buyer = fee_fen * charter.buyer_side_pct // 100
    return fee_fen - buyer, buyer
