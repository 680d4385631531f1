"""Evaluating clauses on columns: conditions, exceptions by priority, readings, one rounding.

``Evaluation`` is the context the expression nodes run in. It memoises variables (inputs or
formulas) per period, parameters per date, and clause results, and tracks which rows had every
input they needed. The same code serves a million firms (the batch) and one firm with a
``Tracer`` (the explanation), so the two can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

from longcheng.policy.engine.errors import EvaluationError
from longcheng.policy.engine.inputs import Column, Inputs
from longcheng.policy.engine.pack import Clause, Pack
from longcheng.policy.engine.params import DatedValue, ScalarParam, ScaleAt, ScaleParam, TableParam
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.rules import Array, Tracer, Value, rescale

OK, MISSING, CONFLICT = 0, 1, 2
BASE_REASONS = ("ok", "missing_input", "exception_conflict")


@dataclass
class ClauseOutcome:
    """Per-row results of one clause.

    ``amount_fen`` is the rounded amount (0 where the row does not qualify); ``reason`` indexes
    ``reason_codes`` (``ok``, ``missing_input``, ``exception_conflict``, ``condition:<id>`` for the
    first condition not met); ``exception`` is the index of the exception applied, -1 for the
    general rule.
    """

    clause_id: str
    reading: str
    amount_fen: Array
    qualifies: Array
    reason: Array
    reason_codes: tuple[str, ...]
    exception: Array
    exact: Array
    exp: int
    conditions: tuple[Array, ...]
    applicable: tuple[Array, ...]


def _full(value: Value, n: int, dtype: type) -> Array:
    if isinstance(value, np.ndarray) and value.shape == (n,):
        return value
    return np.full(n, value, dtype=dtype)


class Evaluation:
    """One evaluation of a pack for one period over N entities."""

    def __init__(
        self,
        pack: Pack,
        inputs: Inputs,
        period: Period,
        *,
        readings: Mapping[str, str] | None = None,
        tracer: Tracer | None = None,
    ) -> None:
        self.pack, self.inputs, self.period = pack, inputs, period
        self.readings = dict(readings or {})
        self.tracer = tracer
        self._vars: dict[tuple[str, Period], Column] = {}
        self._params: dict[tuple[str, date], object] = {}
        self._clauses: dict[tuple[str, Period, str], ClauseOutcome] = {}
        self._known: list[Array | None] = []
        self._replace: list[dict[str, str]] = [{}]

    # -- what the expression nodes call -------------------------------------------------
    def var(self, name: str, period: Period) -> Array:
        column = self._vars.get((name, period)) or self._column(name, period)
        if column.known is not None and self._known:
            top = self._known[-1]
            self._known[-1] = column.known if top is None else top & column.known
        return column.values

    def column(self, name: str, period: Period) -> Column:
        """A variable's values and known-mask at a period (an input, or its formula evaluated)."""
        if self._known:
            raise EvaluationError("policy.column_in_clause", "只能在条款计算之外读取变量的整列取值")
        return self._vars.get((name, period)) or self._column(name, period)

    def _column(self, name: str, period: Period) -> Column:
        column = self.inputs.get(name, period)
        if column is None:
            formula = self.pack.formulas.get(name)
            if formula is None:
                raise EvaluationError(
                    "policy.missing_input",
                    f"缺少输入“{name}”（{period}）：请提供列 {name}@{period} 或 {name}",
                    details={"variable": name, "period": str(period)},
                )
            self._known.append(None)
            values = formula.root.eval(self, period)
            known = self._known.pop()
            dtype = bool if formula.root.type.kind.value == "bool" else np.int64
            column = Column(_full(values, self.inputs.n, dtype), known)
        self._vars[(name, period)] = column
        return column

    def _param_id(self, param_id: str) -> str:
        return self._replace[-1].get(param_id, param_id)

    def scalar(self, param_id: str, period: Period) -> DatedValue:
        param = self.pack.params[param_id]
        assert isinstance(param, ScalarParam)
        return param.history.require(period.start)

    def scale(self, param_id: str, period: Period) -> tuple[str, ScaleAt]:
        used = self._param_id(param_id)
        key = (used, period.start)
        if key not in self._params:
            param = self.pack.params[used]
            assert isinstance(param, ScaleParam)
            self._params[key] = param.at(period.start)
        scale = self._params[key]
        assert isinstance(scale, ScaleAt)
        return used, scale

    def table(self, param_id: str, period: Period) -> tuple[Array, tuple[DatedValue, ...]]:
        param = self.pack.params[param_id]
        assert isinstance(param, TableParam)
        spec = self.pack.variables[param.keys]
        dated = tuple(param.rows[value].require(period.start) for value in spec.values)
        return np.array([d.value for d in dated], dtype=np.int64), dated

    def clause_amount(self, clause_id: str, period: Period) -> Array:
        return self.clause(clause_id, period).amount_fen

    def clause_qualifies(self, clause_id: str, period: Period) -> Array:
        return self.clause(clause_id, period).qualifies

    # -- clauses ----------------------------------------------------------------------
    def clause(
        self, clause_id: str, period: Period | None = None, reading: str | None = None
    ) -> ClauseOutcome:
        """The outcome of one clause (memoised), under ``reading`` or the configured one."""
        clause = self.pack.clause(clause_id)
        at = period or self.period
        chosen = clause.reading(reading or self.readings.get(clause_id)).id
        key = (clause_id, at, chosen)
        if key not in self._clauses:
            self._replace.append(clause.reading(chosen).replace)
            self._known.append(None)
            frame = self.tracer.frame if self.tracer else ""
            try:
                self._clauses[key] = _evaluate(self, clause, at, chosen)
            finally:
                self._replace.pop()
                self._known.pop()
                if self.tracer:
                    self.tracer.frame = frame
        return self._clauses[key]

    def set_frame(self, frame: str) -> None:
        if self.tracer is not None:
            self.tracer.frame = frame

    def take_known(self) -> Array | None:
        return self._known[-1]


def _evaluate(ctx: Evaluation, clause: Clause, period: Period, reading: str) -> ClauseOutcome:
    n = ctx.inputs.n
    conditions = []
    for condition in clause.conditions:
        ctx.set_frame(f"condition:{condition.id}")
        conditions.append(_full(condition.test.root.eval(ctx, period), n, bool))
    ctx.set_frame("general")
    exp = max([clause.amount.root.type.exp, *(e.amount.root.type.exp for e in clause.exceptions)])
    amount = _full(
        rescale(clause.amount.root.eval(ctx, period), exp - clause.amount.root.type.exp), n, np.int64
    )
    chosen, conflict, applicable = _choose_exception(ctx, clause, period, n)
    for index, exception in enumerate(clause.exceptions):
        ctx.set_frame(f"exception:{exception.id}")
        value = rescale(exception.amount.root.eval(ctx, period), exp - exception.amount.root.type.exp)
        amount = np.where(chosen == index, value, amount)
    known = ctx.take_known()
    qualifies = np.ones(n, dtype=bool)
    reason = np.zeros(n, dtype=np.int16)
    for index in range(len(conditions) - 1, -1, -1):
        qualifies &= conditions[index]
        np.putmask(reason, ~conditions[index], 3 + index)
    if known is not None:
        np.putmask(reason, ~known, MISSING)
        qualifies &= known
    if conflict.any():
        np.putmask(reason, conflict & qualifies, CONFLICT)
        qualifies &= ~conflict
    rounded = clause.rounding.apply(amount, exp)
    # zero where not qualifying; in place unless rounding returned the (possibly input) column itself
    paid = rounded * qualifies if rounded is amount else np.multiply(rounded, qualifies, out=rounded)
    return ClauseOutcome(
        clause_id=clause.id,
        reading=reading,
        amount_fen=paid,
        qualifies=qualifies,
        reason=reason,
        reason_codes=BASE_REASONS + tuple(f"condition:{c.id}" for c in clause.conditions),
        exception=chosen,
        exact=amount,
        exp=exp,
        conditions=tuple(conditions),
        applicable=applicable,
    )


def _choose_exception(
    ctx: Evaluation, clause: Clause, period: Period, n: int
) -> tuple[Array, Array, tuple[Array, ...]]:
    """Catala's rule: the applicable exception of highest priority; two at that level conflict."""
    chosen = np.full(n, -1, dtype=np.int16)
    conflict = np.zeros(n, dtype=bool)
    applicable = []
    for exception in clause.exceptions:
        ctx.set_frame(f"when:{exception.id}")
        applicable.append(_full(exception.when.root.eval(ctx, period), n, bool))
    for priority in sorted({e.priority for e in clause.exceptions}, reverse=True):
        group = [i for i, e in enumerate(clause.exceptions) if e.priority == priority]
        open_rows = (chosen == -1) & ~conflict
        count = np.sum([applicable[i] for i in group], axis=0, dtype=np.int16)
        conflict |= open_rows & (count >= 2)
        for index in group:
            chosen[open_rows & applicable[index] & (count == 1)] = index
    return chosen, conflict, tuple(applicable)
