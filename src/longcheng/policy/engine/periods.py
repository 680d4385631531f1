"""Periods: every variable value belongs to a year (``2025``) or a month (``2025-03``).

A clause is evaluated for one period. It reads a variable of the same kind at that period, a
yearly variable from a monthly clause at the year that contains the month, and another period
with an offset (``rd_spending[-1]`` is last year's R&D spending). Parameters are read at the
first day of the period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from longcheng.policy.engine.errors import InputError


class PeriodKind(StrEnum):
    YEAR = "year"
    MONTH = "month"


_PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A year (``month == 0``) or a month."""

    year: int
    month: int = 0

    @property
    def kind(self) -> PeriodKind:
        return PeriodKind.MONTH if self.month else PeriodKind.YEAR

    @property
    def start(self) -> date:
        return date(self.year, self.month or 1, 1)

    def offset(self, steps: int) -> Period:
        """``steps`` units of this period's own kind later (earlier when negative)."""
        if not self.month:
            return Period(self.year + steps)
        index = self.year * 12 + self.month - 1 + steps
        return Period(index // 12, index % 12 + 1)

    def as_kind(self, kind: PeriodKind) -> Period:
        """The period of ``kind`` that contains this one (a year contains its months)."""
        if kind is PeriodKind.YEAR:
            return Period(self.year)
        if not self.month:
            raise InputError(
                "policy.period_mismatch", f"按月计算的变量不能从年度期间 {self} 直接读取，需指定月份"
            )
        return self

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


def parse_period(text: str | int) -> Period:
    """``2025`` → the year 2025, ``2025-03`` → March 2025; anything else is refused."""
    match = _PERIOD_RE.match(str(text).strip())
    if not match:
        raise InputError("policy.bad_period", f"期间“{text}”无法识别，应写成 2025 或 2025-03")
    year, month = int(match.group(1)), int(match.group(2) or 0)
    if match.group(2) is not None and not 1 <= month <= 12:
        raise InputError("policy.bad_period", f"期间“{text}”的月份应在 1 到 12 之间")
    if not 1900 <= year <= 2200:
        raise InputError("policy.bad_period", f"期间“{text}”的年份超出范围")
    return Period(year, month)
