"""The evaluator: typed expression nodes that run on whole columns at once (numpy int64).

Every node has a static type: money in fen (``exp`` extra decimal digits, so that a slice of
growth times a rate in basis points stays an exact integer of 1/10000 fen), a plain number
with ``exp`` decimals (a rate of 10 % is ``1000`` with ``exp`` 4), a boolean, or an enum code.
There is no division and no float anywhere: an amount is exact until the clause rounds it once.
``bound`` is a static upper bound of the absolute integer value; the compiler refuses any
expression whose bound could overflow int64, so that the batch never wraps silently.

The same nodes explain one firm: with a ``Tracer`` in the context, variable reads, parameter
reads and every bracket of a scale are recorded for the first row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from longcheng.policy.engine.params import DatedValue, ScaleAt
from longcheng.policy.engine.periods import Period, PeriodKind

Array = npt.NDArray[Any]
Value = Array | int | bool


class Kind(StrEnum):
    MONEY = "money"
    NUMBER = "number"
    BOOL = "bool"
    ENUM = "enum"


@dataclass(frozen=True)
class Type:
    kind: Kind
    exp: int = 0
    enum: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.MONEY, Kind.NUMBER)

    def describe(self) -> str:
        names = {Kind.MONEY: "金额", Kind.NUMBER: "数值", Kind.BOOL: "是/否", Kind.ENUM: "类别"}
        return names[self.kind]


@dataclass
class TraceEvent:
    kind: str
    frame: str
    name: str
    period: str = ""
    value: Any = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Tracer:
    """Collects what one firm's evaluation read, frame by frame (a condition, an exception…)."""

    frame: str = ""
    events: list[TraceEvent] = field(default_factory=list)

    def add(self, kind: str, name: str, *, period: str = "", value: Any = None, **data: Any) -> None:
        self.events.append(TraceEvent(kind, self.frame, name, period, value, data))


class Context(Protocol):
    tracer: Tracer | None

    def var(self, name: str, period: Period) -> Array: ...

    def scalar(self, param_id: str, period: Period) -> DatedValue: ...

    def scale(self, param_id: str, period: Period) -> tuple[str, ScaleAt]: ...

    def table(self, param_id: str, period: Period) -> tuple[Array, tuple[DatedValue, ...]]: ...

    def clause_amount(self, clause_id: str, period: Period) -> Array: ...

    def clause_qualifies(self, clause_id: str, period: Period) -> Array: ...


def first(value: Value) -> int | bool:
    """The first row of a column (or the scalar itself), as a plain Python value."""
    if isinstance(value, np.ndarray):
        item = value.reshape(-1)[0].item()
        return bool(item) if value.dtype == np.bool_ else int(item)
    return value


def rescale(value: Value, shift: int) -> Value:
    """Multiply by ``10**shift`` to bring an exact amount to more decimals (``shift >= 0``)."""
    if shift == 0:
        return value
    if isinstance(value, np.ndarray):
        scaled: Array = value * np.int64(10**shift)
        return scaled
    factor: int = 10**shift
    return int(value) * factor


class Expr:
    """A typed node; ``eval`` returns a column or a scalar that broadcasts."""

    type: Type
    bound: int
    pos: int

    def eval(self, ctx: Context, period: Period) -> Value:
        raise NotImplementedError


@dataclass
class Const(Expr):
    value: int | bool
    type: Type
    pos: int = 0

    def __post_init__(self) -> None:
        self.bound = abs(int(self.value))

    def eval(self, ctx: Context, period: Period) -> Value:
        return self.value


@dataclass
class VarRef(Expr):
    name: str
    var_kind: PeriodKind
    offset: int
    type: Type
    bound: int
    pos: int = 0

    def target(self, period: Period) -> Period:
        return period.as_kind(self.var_kind).offset(self.offset)

    def eval(self, ctx: Context, period: Period) -> Value:
        at = self.target(period)
        column = ctx.var(self.name, at)
        if ctx.tracer is not None:
            ctx.tracer.add("var", self.name, period=str(at), value=first(column), type=self.type)
        return column


@dataclass
class ParamRef(Expr):
    param_id: str
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        dated = ctx.scalar(self.param_id, period)
        if ctx.tracer is not None:
            ctx.tracer.add("param", self.param_id, period=str(period), value=dated.value, dated=dated)
        return bool(dated.value) if self.type.kind is Kind.BOOL else dated.value


@dataclass
class TableLookup(Expr):
    param_id: str
    key: Expr
    labels: tuple[str, ...]
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        values, dated = ctx.table(self.param_id, period)
        codes = self.key.eval(ctx, period)
        result = values[codes]
        if ctx.tracer is not None:
            code = int(first(codes))
            ctx.tracer.add(
                "param",
                self.param_id,
                period=str(period),
                value=int(values[code]),
                dated=dated[code],
                key=self.labels[code],
            )
        return result


@dataclass
class ClauseRef(Expr):
    clause_id: str
    qualifies: bool
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        if self.qualifies:
            column = ctx.clause_qualifies(self.clause_id, period)
        else:
            column = ctx.clause_amount(self.clause_id, period)
        if ctx.tracer is not None:
            ctx.tracer.add("clause", self.clause_id, period=str(period), value=first(column))
        return column


@dataclass
class Scale(Expr):
    """Marginal scale (超额累进): each slice of ``base`` between two thresholds at its own rate.

    Evaluated bracket by bracket with two temporary columns, so memory is O(N), not O(N·K).
    """

    param_id: str
    base: Expr
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        used_id, scale = ctx.scale(self.param_id, period)
        exp = self.base.type.exp
        base = np.asarray(self.base.eval(ctx, period), dtype=np.int64)
        total = np.zeros(base.shape, dtype=np.int64)
        slice_ = np.empty(base.shape, dtype=np.int64)
        tops = scale.thresholds[1:] + (None,)
        for low, high, rate in zip(scale.thresholds, tops, scale.rates, strict=True):
            np.subtract(base, low * 10**exp, out=slice_)
            upper = None if high is None else (high - low) * 10**exp
            np.clip(slice_, 0, upper, out=slice_)
            if rate:
                slice_ *= rate
                total += slice_
        if ctx.tracer is not None:
            self._trace(ctx.tracer, used_id, scale, int(base.reshape(-1)[0]), str(period))
        return total

    def _trace(self, tracer: Tracer, used_id: str, scale: ScaleAt, base: int, period: str) -> None:
        exp = self.base.type.exp
        rows = []
        tops = scale.thresholds[1:] + (None,)
        for low, high, (low_dated, rate_dated) in zip(scale.thresholds, tops, scale.entries, strict=True):
            top = None if high is None else high * 10**exp
            slice_ = max(0, (base if top is None else min(base, top)) - low * 10**exp)
            rows.append(
                {
                    "from": low,
                    "to": high,
                    "slice": slice_,
                    "rate": rate_dated.value,
                    "amount": slice_ * rate_dated.value,
                    "exp": exp,
                    "dated": (low_dated, rate_dated),
                }
            )
        tracer.add("scale", used_id, period=period, value=base, requested=self.param_id, brackets=rows)


@dataclass
class Arith(Expr):
    op: str
    left: Expr
    right: Expr
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        left, right = self.left.eval(ctx, period), self.right.eval(ctx, period)
        if self.op == "*":
            return left * right
        exp = self.type.exp
        left = rescale(left, exp - self.left.type.exp)
        right = rescale(right, exp - self.right.type.exp)
        return left + right if self.op == "+" else left - right


@dataclass
class Negate(Expr):
    operand: Expr
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        return -self.operand.eval(ctx, period)


_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


@dataclass
class Compare(Expr):
    op: str
    left: Expr
    right: Expr
    type: Type
    pos: int = 0
    bound: int = 1

    def eval(self, ctx: Context, period: Period) -> Value:
        exp = max(self.left.type.exp, self.right.type.exp)
        left = rescale(self.left.eval(ctx, period), exp - self.left.type.exp)
        right = rescale(self.right.eval(ctx, period), exp - self.right.type.exp)
        result: Value = _COMPARE[self.op](left, right)
        return result


@dataclass
class Member(Expr):
    operand: Expr
    codes: tuple[int, ...]
    type: Type
    pos: int = 0
    bound: int = 1

    def eval(self, ctx: Context, period: Period) -> Value:
        value = self.operand.eval(ctx, period)
        result: Value = value == self.codes[0]
        for code in self.codes[1:]:
            result = result | (value == code)
        return result


@dataclass
class Logic(Expr):
    op: str
    operands: tuple[Expr, ...]
    type: Type
    pos: int = 0
    bound: int = 1

    def eval(self, ctx: Context, period: Period) -> Value:
        if self.op == "not":
            return ~np.asarray(self.operands[0].eval(ctx, period), dtype=bool)
        result = self.operands[0].eval(ctx, period)
        for operand in self.operands[1:]:
            other = operand.eval(ctx, period)
            result = (result & other) if self.op == "and" else (result | other)
        return result


@dataclass
class Choose(Expr):
    test: Expr
    then: Expr
    otherwise: Expr
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        exp = self.type.exp
        then = rescale(self.then.eval(ctx, period), exp - self.then.type.exp)
        otherwise = rescale(self.otherwise.eval(ctx, period), exp - self.otherwise.type.exp)
        result: Value = np.where(self.test.eval(ctx, period), then, otherwise)
        return result


@dataclass
class Extreme(Expr):
    func: str
    operands: tuple[Expr, ...]
    type: Type
    bound: int
    pos: int = 0

    def eval(self, ctx: Context, period: Period) -> Value:
        exp = self.type.exp
        pick = np.minimum if self.func == "min" else np.maximum
        result = rescale(self.operands[0].eval(ctx, period), exp - self.operands[0].type.exp)
        for operand in self.operands[1:]:
            result = pick(result, rescale(operand.eval(ctx, period), exp - operand.type.exp))
        return result
