"""The pack model: a policy document, its clauses, variables and parameters, loaded and checked.

A clause is Catala-style default logic over columns: ``conditions`` (named predicates, all
must hold) decide who qualifies; the general ``amount`` applies unless an ``exception`` whose
``when`` holds replaces it. The applicable exception of highest ``priority`` wins; two applicable
exceptions of that same priority are a conflict, reported (never resolved by file order).
Where the policy text can be read two ways, the clause lists ``readings``; each names the
parameters it substitutes, records whether the policy owner confirmed it, and one is the default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

import numpy as np

from longcheng.policy.engine.compiler import Compiled, VarSpec
from longcheng.policy.engine.errors import InputError, Loc
from longcheng.policy.engine.params import Param
from longcheng.policy.engine.periods import PeriodKind
from longcheng.policy.engine.rules import Array


class RoundingMode(StrEnum):
    HALF_UP = "half_up"
    HALF_EVEN = "half_even"
    DOWN = "down"


ROUNDING_LABELS = {
    RoundingMode.HALF_UP: "四舍五入",
    RoundingMode.HALF_EVEN: "四舍六入五成双",
    RoundingMode.DOWN: "舍去",
}
UNIT_FEN = {"fen": 1, "jiao": 10, "yuan": 100}
UNIT_LABELS = {"fen": "分", "jiao": "角", "yuan": "元"}


@dataclass(frozen=True)
class Rounding:
    """The one rounding of a clause result: mode and unit (default half up to the fen)."""

    mode: RoundingMode = RoundingMode.HALF_UP
    unit: str = "fen"

    def describe(self) -> str:
        return f"{ROUNDING_LABELS[self.mode]}到{UNIT_LABELS[self.unit]}"

    def apply(self, value: Array, exp: int) -> Array:
        """Exact amounts of ``value / 10**exp`` fen, rounded to whole fen at this unit."""
        divisor = 10**exp * UNIT_FEN[self.unit]
        if divisor == 1:
            return np.asarray(value, dtype=np.int64)
        unit = UNIT_FEN[self.unit]
        if self.mode is RoundingMode.HALF_UP and (not value.size or value.min() >= 0):
            rounded: Array = (value + divisor // 2) // divisor * unit
            return rounded
        magnitude = np.abs(value)
        quotient, remainder = np.divmod(magnitude, divisor)
        if self.mode is RoundingMode.HALF_UP:
            quotient += 2 * remainder >= divisor
        elif self.mode is RoundingMode.HALF_EVEN:
            quotient += (2 * remainder > divisor) | ((2 * remainder == divisor) & (quotient % 2 == 1))
        result: Array = np.where(value < 0, -quotient, quotient) * unit
        return result


@dataclass(frozen=True)
class Condition:
    id: str
    label: str
    test: Compiled
    loc: Loc


@dataclass(frozen=True)
class ClauseException:
    """An exception (另有规定的，从其规定): when ``when`` holds, ``amount`` replaces the general rule."""

    id: str
    label: str
    priority: int
    when: Compiled
    amount: Compiled
    reference: str
    loc: Loc


@dataclass(frozen=True)
class Reading:
    """One way to read an ambiguous text; ``replace`` maps parameter ids to substitutes."""

    id: str
    label: str
    confirmed: bool
    replace: dict[str, str] = field(hash=False)
    note: str = ""


@dataclass(frozen=True)
class Contact:
    office: str
    phone: str
    address: str
    example: bool


@dataclass(frozen=True)
class GuideInfo:
    """What the 申兑指南 says beyond the rule itself."""

    who: str
    amount_text: str
    deadline: str
    materials: tuple[str, ...]
    how: str
    contact: Contact
    channel: str


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    article: str
    reference: str
    entity: str
    period: PeriodKind
    conditions: tuple[Condition, ...]
    amount: Compiled
    exceptions: tuple[ClauseException, ...]
    readings: tuple[Reading, ...]
    default_reading: str
    rounding: Rounding
    guide: GuideInfo
    loc: Loc

    def reading(self, reading_id: str | None = None) -> Reading:
        wanted = reading_id or self.default_reading
        for reading in self.readings:
            if reading.id == wanted:
                return reading
        known = "、".join(r.id for r in self.readings)
        raise InputError("policy.unknown_reading", f"条款“{self.id}”没有解读“{wanted}”（可选：{known}）")


@dataclass(frozen=True)
class Entity:
    id: str
    label: str
    id_column: str


@dataclass(frozen=True)
class Pack:
    """A loaded, checked policy pack; immutable and safe to share between threads."""

    id: str
    title: str
    document_number: str | None
    issuer: str
    effective_from: date
    effective_to: date | None
    illustrative: bool
    note: str
    root: Path
    entities: dict[str, Entity] = field(hash=False)
    variables: dict[str, VarSpec] = field(hash=False)
    params: dict[str, Param] = field(hash=False)
    clauses: dict[str, Clause] = field(hash=False)
    formulas: dict[str, Compiled] = field(hash=False)

    def clause(self, clause_id: str) -> Clause:
        if clause_id not in self.clauses:
            known = "、".join(self.clauses)
            raise InputError("policy.unknown_clause", f"政策包中没有条款“{clause_id}”（现有：{known}）")
        return self.clauses[clause_id]

    def clauses_for(self, entity: str, period: PeriodKind | None = None) -> list[Clause]:
        return [
            c for c in self.clauses.values() if c.entity == entity and (period is None or c.period == period)
        ]
