"""Input columns: the facts about N entities that clauses read, validated before evaluation.

A column is named after its variable: ``rd_growth`` is the value at the evaluated period (for a
yearly variable read by a monthly clause: the year that contains the month), ``rd_spending@2024``
the value at another period. Engine-native values are:

* money: int64 **fen** (numpy integer arrays are taken as fen; text is yuan, see ``amounts``);
* count: int64; bool: numpy bool; enum: text values (or int codes in a ready ``Column``).

A float column is refused for money (``policy.float_money``): floats are how OpenFisca loses fen.
A missing value (a masked entry, an Arrow null, an empty CSV cell) is not zero: the firm gets the
reason ``missing_input`` for every clause that reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from longcheng.policy.engine.amounts import MAX_MONEY_FEN, decimal_yuan_to_fen, parse_fen
from longcheng.policy.engine.compiler import VarSpec
from longcheng.policy.engine.errors import InputError
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period, PeriodKind, parse_period
from longcheng.policy.engine.rules import Array, Kind

_TRUE = {"true", "1", "是", "yes", "y", "t"}
_FALSE = {"false", "0", "否", "no", "n", "f"}


@dataclass
class Column:
    """Engine-native values and, when some are missing, the mask of known rows."""

    values: Array
    known: Array | None = None


@dataclass
class Inputs:
    n: int
    columns: dict[tuple[str, Period], Column] = field(default_factory=dict)

    def get(self, name: str, period: Period) -> Column | None:
        return self.columns.get((name, period))


def column_key(pack: Pack, key: str, period: Period, entity: str) -> tuple[VarSpec, Period] | None:
    """``rd_spending@2024`` → (the variable, 2024); ``None`` for a column the pack does not use."""
    name, _, at = key.partition("@")
    spec = pack.variables.get(name)
    if spec is None or spec.entity != entity:
        return None
    if not at:
        if spec.period is PeriodKind.MONTH and period.kind is PeriodKind.YEAR:
            raise InputError("policy.period_mismatch", f"按月的变量“{name}”需写明月份，如 {name}@2025-03")
        return spec, period.as_kind(spec.period)
    target = parse_period(at)
    if target.kind is not spec.period:
        raise InputError(
            "policy.period_mismatch",
            f"列“{key}”的期间应为按{'年' if spec.period is PeriodKind.YEAR else '月'}",
        )
    return spec, target


def build_inputs(pack: Pack, raw: Mapping[str, Any], period: Period, entity: str = "enterprise") -> Inputs:
    """Validated engine-native columns from arrays (numpy, lists or ready ``Column`` objects)."""
    inputs: Inputs | None = None
    for key, data in raw.items():
        found = column_key(pack, key, period, entity)
        if found is None:
            continue
        spec, at = found
        column = data if isinstance(data, Column) else to_column(spec, data, key)
        n = len(column.values)
        if inputs is None:
            inputs = Inputs(n)
        elif n != inputs.n:
            raise InputError("policy.column_length", f"列“{key}”有 {n} 行，其他列有 {inputs.n} 行")
        inputs.columns[(spec.name, at)] = column
    if inputs is None:
        raise InputError("policy.no_inputs", "输入中没有政策包使用的任何列")
    return inputs


def to_column(spec: VarSpec, data: Any, key: str) -> Column:
    """One variable's values to engine form; refuses floats for money and unknown enum values."""
    known: Array | None = None
    if isinstance(data, np.ma.MaskedArray):
        known = ~np.ma.getmaskarray(data)
        data = data.filled(data.dtype.type(0) if data.dtype.kind in "iub" else "")
    array = np.asarray(data)
    if spec.type.kind is Kind.ENUM:
        codes, known = enum_codes(spec, array, key, known)
        return Column(codes, known)
    if array.dtype.kind == "f":
        raise InputError(
            "policy.float_money" if spec.type.kind is Kind.MONEY else "policy.float_input",
            f'列“{key}”是浮点数：金额须为整数分或文本元（如 "123.45"），浮点数会丢失分',
        )
    if array.dtype.kind in "OUS":
        return _text_column(spec, array, key, known)
    if spec.type.kind is Kind.BOOL:
        return Column(array.astype(bool, copy=False), known)
    values = array.astype(np.int64, copy=False)
    _check_range(spec, values, key)
    return Column(values, known)


def _check_range(spec: VarSpec, values: Array, key: str) -> None:
    if not len(values):
        return
    limit = MAX_MONEY_FEN if spec.type.kind is Kind.MONEY else spec.max
    low, high = int(values.min()), int(values.max())
    if max(abs(low), abs(high)) > limit:
        raise InputError("policy.input_range", f"列“{key}”的取值超出允许范围（绝对值不超过 {limit}）")


def _text_column(spec: VarSpec, array: Array, key: str, known: Array | None) -> Column:
    known = np.ones(len(array), dtype=bool) if known is None else known.copy()
    dtype = bool if spec.type.kind is Kind.BOOL else np.int64
    values = np.zeros(len(array), dtype=dtype)
    for row, cell in enumerate(array):
        text = "" if cell is None else str(cell).strip()
        if not known[row] or not text:
            known[row] = False
            continue
        values[row] = parse_value(spec, text, f"{key} 第 {row + 1} 行")
    if spec.type.kind is not Kind.BOOL:
        _check_range(spec, values, key)
    return Column(values, None if known.all() else known)


def parse_value(spec: VarSpec, value: str | int | bool | Decimal, where: str) -> int | bool:
    """One value as typed by a person (yuan for money), to engine form."""
    kind = spec.type.kind
    if kind is Kind.MONEY:
        if isinstance(value, Decimal):
            return decimal_yuan_to_fen(value)
        if isinstance(value, bool) or isinstance(value, float):
            raise InputError("policy.amount_unreadable", f'{where}：金额应写成文本，如 "123.45"')
        return parse_fen(str(value)) if isinstance(value, str) else decimal_yuan_to_fen(Decimal(value))
    if kind is Kind.BOOL:
        return _parse_bool(value, where)
    if kind is Kind.ENUM:
        code = spec.code_of(str(value))
        if code is None:
            raise InputError("policy.enum_value", f"{where}：“{value}”不是可选值（{'、'.join(spec.values)}）")
        return code
    return _parse_count(spec, value, where)


def _parse_bool(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise InputError("policy.bool_value", f"{where}：“{value}”应为 是/否 或 true/false")


def _parse_count(spec: VarSpec, value: object, where: str) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit():
        raise InputError("policy.count_value", f"{where}：“{value}”应为整数")
    number = int(text)
    if abs(number) > spec.max:
        raise InputError("policy.input_range", f"{where}：{number} 超出允许范围（不超过 {spec.max}）")
    return number


def enum_codes(
    spec: VarSpec, array: Array, key: str, known: Array | None = None
) -> tuple[Array, Array | None]:
    """Text values to codes in declared order (through the distinct values); empty = unknown."""
    if array.dtype.kind in "iu":
        raise InputError(
            "policy.enum_value", f"列“{key}”应写类别名称（{'、'.join(spec.values)}），而不是数字"
        )
    text = array if array.dtype.kind == "U" else array.astype(str)
    codes: Array = np.full(len(text), -1, dtype=np.int16)
    for code, value in enumerate(spec.values):
        codes[text == value] = code
    unmatched = codes < 0
    if unmatched.any():
        strange = np.unique(text[unmatched])
        strange = strange[strange != ""]
        if len(strange):
            allowed = "、".join(spec.values)
            raise InputError("policy.enum_value", f"列“{key}”中的“{strange[0]}”不是可选值（{allowed}）")
    empty = codes < 0
    if empty.any():
        codes[empty] = 0
        known = ~empty if known is None else known & ~empty
    return codes, known


def single_inputs(
    pack: Pack, values: Mapping[str, str | int | bool | Decimal], period: Period, entity: str = "enterprise"
) -> Inputs:
    """One entity's inputs from ``NAME=VALUE`` pairs (``--set``); unknown names are refused."""
    inputs = Inputs(1)
    for key, value in values.items():
        found = column_key(pack, key, period, entity)
        if found is None:
            names = "、".join(n for n, s in pack.variables.items() if s.entity == entity)
            raise InputError("policy.unknown_input", f"“{key}”不是该政策包的输入变量（可用：{names}）")
        spec, at = found
        parsed = parse_value(spec, value, key)
        dtype = (
            bool if spec.type.kind is Kind.BOOL else (np.int16 if spec.type.kind is Kind.ENUM else np.int64)
        )
        inputs.columns[(spec.name, at)] = Column(np.array([parsed], dtype=dtype))
    return inputs
