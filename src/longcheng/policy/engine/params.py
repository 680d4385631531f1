"""Parameters: amounts, rates and counts with dated values and the article they implement.

A parameter file is a YAML tree; a node with ``values`` (a scalar), ``brackets`` (a marginal
scale, 超额累进) or ``table`` (a lookup by an enum, e.g. by degree) is a parameter, and its id is
the dotted path of keys. Units are exact integers: ``fen`` for money, ``bp`` (basis points,
1/10000) for rates, ``count`` for plain numbers, and ``bool``.

Every value is ``{from, to?, value, reference?}``; ``to`` is inclusive and open when absent.
Two values whose dates overlap are refused at load time. Each bracket of a scale has its own
dated threshold (fen) and rate (bp), so the number of brackets can change on a date; at every
date where anything changes the active thresholds must rise strictly, which is checked at load.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from longcheng.policy.engine.errors import EvaluationError, Loc, PackError
from longcheng.policy.engine.source import LocDict, LocList, LocStr, loc_of

MAX_RATE_BP = 100_000
"""1000 %: no rate in a pack may exceed this (it bounds every exact product to int64)."""


class Unit(StrEnum):
    FEN = "fen"
    BP = "bp"
    COUNT = "count"
    BOOL = "bool"


UNIT_LABELS = {Unit.FEN: "分", Unit.BP: "基点", Unit.COUNT: "", Unit.BOOL: ""}


@dataclass(frozen=True)
class DatedValue:
    """One value and the dates it is in force (``end`` inclusive, ``None`` = open)."""

    start: date
    end: date | None
    value: int
    reference: str
    loc: Loc

    def covers(self, instant: date) -> bool:
        return self.start <= instant and (self.end is None or instant <= self.end)

    def dates_text(self) -> str:
        end = self.end.isoformat() if self.end else "长期"
        return f"{self.start.isoformat()} 至 {end}"


@dataclass(frozen=True)
class History:
    """The dated values of one quantity, sorted and without overlap."""

    name: str
    values: tuple[DatedValue, ...]

    def at(self, instant: date) -> DatedValue | None:
        for item in self.values:
            if item.covers(instant):
                return item
        return None

    def require(self, instant: date) -> DatedValue:
        item = self.at(instant)
        if item is None:
            spans = "、".join(v.dates_text() for v in self.values) or "无"
            raise EvaluationError(
                "policy.param_no_value",
                f"参数“{self.name}”在 {instant.isoformat()} 没有有效取值（有效期：{spans}）",
                details={"parameter": self.name, "date": instant.isoformat()},
            )
        return item

    def change_dates(self) -> Iterator[date]:
        for item in self.values:
            yield item.start
            if item.end is not None:
                yield item.end + timedelta(days=1)

    def max_abs(self) -> int:
        return max((abs(v.value) for v in self.values), default=0)


@dataclass(frozen=True)
class Meta:
    id: str
    label: str
    reference: str
    loc: Loc


@dataclass(frozen=True)
class ScalarParam:
    meta: Meta
    unit: Unit
    history: History


@dataclass(frozen=True)
class Bracket:
    threshold: History
    rate: History
    loc: Loc


@dataclass(frozen=True)
class ScaleAt:
    """A scale as of one date: thresholds (fen, rising) and rates (bp), with their sources."""

    thresholds: tuple[int, ...]
    rates: tuple[int, ...]
    entries: tuple[tuple[DatedValue, DatedValue], ...]


@dataclass(frozen=True)
class ScaleParam:
    meta: Meta
    brackets: tuple[Bracket, ...]

    def at(self, instant: date) -> ScaleAt:
        pairs: list[tuple[DatedValue, DatedValue]] = []
        for bracket in self.brackets:
            threshold, rate = bracket.threshold.at(instant), bracket.rate.at(instant)
            if threshold is not None and rate is not None:
                pairs.append((threshold, rate))
        if not pairs:
            raise EvaluationError(
                "policy.param_no_value",
                f"累进表“{self.meta.id}”在 {instant.isoformat()} 没有有效档位",
                details={"parameter": self.meta.id, "date": instant.isoformat()},
            )
        return ScaleAt(tuple(t.value for t, _ in pairs), tuple(r.value for _, r in pairs), tuple(pairs))


@dataclass(frozen=True)
class TableParam:
    meta: Meta
    unit: Unit
    keys: str
    rows: dict[str, History] = field(hash=False)


Param = ScalarParam | ScaleParam | TableParam


def parse_parameter_tree(data: Any, file_loc: Loc) -> list[Param]:
    """Every parameter in one parameter file, validated on its own."""
    if not isinstance(data, LocDict):
        raise PackError("policy.param_file", "参数文件的顶层应是映射（键: 值）", loc=file_loc)
    return list(_walk(data, ""))


def _walk(node: LocDict, prefix: str) -> Iterator[Param]:
    for key, child in node.items():
        path = f"{prefix}{key}"
        loc = node.loc_of(key)
        if not isinstance(child, LocDict):
            raise PackError("policy.param_shape", f"“{path}”应是参数或参数分组", loc=loc)
        if "values" in child or "brackets" in child or "table" in child:
            yield _parse_param(child, path)
        else:
            yield from _walk(child, path + ".")


def _meta(node: LocDict, path: str) -> Meta:
    label, reference = node.get("label"), node.get("reference")
    if not isinstance(label, str) or not label.strip():
        raise PackError("policy.param_label", f"参数“{path}”缺少 label（中文名称）", loc=node.loc)
    if not isinstance(reference, str) or not reference.strip():
        raise PackError(
            "policy.param_reference",
            f"参数“{path}”缺少 reference（所依据的条款；无法溯源时写“示例，未核实来源”）",
            loc=node.loc,
        )
    return Meta(path, str(label), str(reference), node.loc)


def _unit(node: LocDict, path: str, default: Unit | None = None) -> Unit:
    raw = node.get("unit", default)
    try:
        return Unit(str(raw))
    except ValueError:
        raise PackError(
            "policy.param_unit",
            f"参数“{path}”的 unit 应为 fen、bp、count 或 bool，而不是“{raw}”",
            loc=node.loc_of("unit"),
        ) from None


def _parse_param(node: LocDict, path: str) -> Param:
    meta = _meta(node, path)
    if "brackets" in node:
        return ScaleParam(meta, _parse_brackets(node, meta))
    unit = _unit(node, path)
    if "table" in node:
        table = node["table"]
        keys = node.get("keys")
        if not isinstance(table, LocDict) or not table or not isinstance(keys, str):
            raise PackError(
                "policy.param_table",
                f"查表参数“{path}”需要 keys（按哪个变量取值）和非空的 table",
                loc=node.loc,
            )
        rows = {str(k): _history(v, f"{path}[{k}]", unit, table.loc_of(k), meta) for k, v in table.items()}
        return TableParam(meta, unit, str(keys), rows)
    return ScalarParam(meta, unit, _history(node["values"], path, unit, node.loc_of("values"), meta))


def _parse_brackets(node: LocDict, meta: Meta) -> tuple[Bracket, ...]:
    raw = node["brackets"]
    if not isinstance(raw, LocList) or not raw:
        raise PackError("policy.scale_shape", f"累进表“{meta.id}”的 brackets 应是非空列表", loc=node.loc)
    brackets = []
    for index, item in enumerate(raw):
        loc = raw.locs[index]
        if not isinstance(item, LocDict) or "threshold" not in item or "rate" not in item:
            raise PackError("policy.scale_shape", "每一档需要 threshold（分）和 rate（基点）", loc=loc)
        name = f"{meta.id} 第{index + 1}档"
        threshold = _history(item["threshold"], f"{name}阈值", Unit.FEN, item.loc_of("threshold"), meta)
        rate = _history(item["rate"], f"{name}费率", Unit.BP, item.loc_of("rate"), meta)
        brackets.append(Bracket(threshold, rate, loc))
    _check_scale_order(meta, brackets)
    return tuple(brackets)


def _check_scale_order(meta: Meta, brackets: list[Bracket]) -> None:
    dates = sorted({d for b in brackets for h in (b.threshold, b.rate) for d in h.change_dates()})
    for instant in dates:
        previous: DatedValue | None = None
        for number, bracket in enumerate(brackets, start=1):
            threshold, rate = bracket.threshold.at(instant), bracket.rate.at(instant)
            if (threshold is None) != (rate is None):
                raise PackError(
                    "policy.scale_dates",
                    f"累进表“{meta.id}”第{number}档在 {instant} 只有阈值或只有费率，二者有效期应一致",
                    loc=bracket.loc,
                )
            if threshold is None:
                continue
            if previous is not None and threshold.value <= previous.value:
                raise PackError(
                    "policy.scale_order",
                    f"累进表“{meta.id}”在 {instant} 的阈值未按从小到大排列："
                    f"第{number}档 {threshold.value} 分不大于上一档 {previous.value} 分",
                    loc=threshold.loc,
                )
            previous = threshold


def _history(raw: Any, name: str, unit: Unit, loc: Loc, meta: Meta) -> History:
    if not isinstance(raw, LocList) or not raw:
        raise PackError("policy.param_values", f"“{name}”的 values 应是非空列表", loc=loc)
    items = [_dated(item, raw.locs[i], name, unit, meta) for i, item in enumerate(raw)]
    items.sort(key=lambda v: v.start)
    for earlier, later in zip(items, items[1:], strict=False):
        if earlier.end is None or earlier.end >= later.start:
            raise PackError(
                "policy.param_overlap",
                f"“{name}”的取值日期重叠：{earlier.dates_text()} 与 {later.start.isoformat()} 起的取值重叠",
                loc=later.loc,
            )
    return History(name, tuple(items))


def _dated(item: Any, loc: Loc, name: str, unit: Unit, meta: Meta) -> DatedValue:
    if not isinstance(item, LocDict) or "from" not in item or "value" not in item:
        raise PackError("policy.param_values", f"“{name}”的每个取值需要 from（起始日期）和 value", loc=loc)
    start, end = item["from"], item.get("to")
    if not isinstance(start, date) or (end is not None and not isinstance(end, date)):
        raise PackError(
            "policy.param_date", f"“{name}”的日期应写成 2021-01-01", loc=loc_of(item, "from", loc)
        )
    if end is not None and end < start:
        raise PackError("policy.param_date", f"“{name}”的结束日期早于开始日期", loc=loc_of(item, "to", loc))
    value = _value(item["value"], unit, name, loc_of(item, "value", loc))
    reference = item.get("reference", meta.reference)
    return DatedValue(start, end, value, str(reference), loc)


def _value(raw: Any, unit: Unit, name: str, loc: Loc) -> int:
    if unit is Unit.BOOL:
        if isinstance(raw, bool):
            return int(raw)
        raise PackError("policy.param_value", f"“{name}”的取值应为 true 或 false", loc=loc)
    if isinstance(raw, bool) or not isinstance(raw, int):
        shown = raw if not isinstance(raw, LocStr) else f"“{raw}”"
        raise PackError(
            "policy.param_value",
            f"“{name}”的取值 {shown} 应是整数（单位：{unit.value}；金额以分、费率以基点计）",
            loc=loc,
        )
    if raw < 0 or (unit is Unit.BP and raw > MAX_RATE_BP) or raw > 10**15:
        raise PackError("policy.param_value", f"“{name}”的取值 {raw} 超出允许范围", loc=loc)
    return raw


def all_dated_values(param: Param) -> Iterable[DatedValue]:
    """Every dated value of a parameter, for bounds and listings."""
    if isinstance(param, ScalarParam):
        return param.history.values
    if isinstance(param, TableParam):
        return [v for h in param.rows.values() for v in h.values]
    return [v for b in param.brackets for h in (b.threshold, b.rate) for v in h.values]
