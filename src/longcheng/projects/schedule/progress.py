"""序时进度 (pro-rata schedule): the monthly investment plan against what was completed.

:class:`Month` names a reporting month (``2026-10``); :func:`schedule_progress` compares the
investment planned up to a month with what was completed, and :func:`amount_text` writes fen
the way bulletins do (``86.3亿元``, ``9600万元``).
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from longcheng.core.errors import LongchengError, ValidationFailed


class MonthFormatError(LongchengError):
    code: ClassVar[str] = "projects.month_format"
    status: ClassVar[int] = 422
    message: ClassVar[str] = "月份格式有误，应写作 2026-10。"


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month, written ``2026-10`` in code and ``2026年10月`` to people."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise MonthFormatError(f"月份“{self.year}-{self.month}”无效。")

    @classmethod
    def parse(cls, text: str) -> Month:
        parts = text.strip().split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise MonthFormatError(f"月份“{text}”格式有误，应写作 2026-10。")
        return cls(int(parts[0]), int(parts[1]))

    @classmethod
    def of(cls, d: date) -> Month:
        return cls(d.year, d.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, gregorian.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Month:
        year, month = divmod(self.year * 12 + self.month - 1 + months, 12)
        return Month(year, month + 1)

    def contains(self, d: date) -> bool:
        return d.year == self.year and d.month == self.month


def _pct(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def amount_text(fen: int) -> str:
    """Fen as a bulletin writes it: ``86.3亿元``, ``17.17亿元``, ``9600万元``, ``500元``."""
    unit, name = next(
        (u, n) for u, n in ((10**10, "亿元"), (10**6, "万元"), (100, "元")) if abs(fen) >= u or u == 100
    )
    text = f"{(Decimal(fen) / unit).quantize(Decimal('0.01'), ROUND_HALF_UP):f}"
    return f"{text.rstrip('0').rstrip('.')}{name}"


@dataclass(frozen=True)
class MonthProgress:
    """Planned and completed investment of one month and cumulated since January (fen)."""

    month: Month
    planned_fen: int
    completed_fen: int
    planned_cum_fen: int
    completed_cum_fen: int


@dataclass(frozen=True)
class ScheduleProgress:
    """序时进度 of one year up to ``as_of``; percentages have one decimal, None when undefined.

    ``time_pct`` is where the plan says the year should be (序时进度: planned to date over the
    annual plan), ``completion_pct`` where it is (completed over the annual plan),
    ``schedule_pct`` completed over planned-to-date, ``gap_points`` completion minus time.
    """

    as_of: Month
    annual_plan_fen: int
    planned_to_date_fen: int
    completed_to_date_fen: int
    time_pct: Decimal | None
    completion_pct: Decimal | None
    schedule_pct: Decimal | None
    gap_points: Decimal | None
    months: tuple[MonthProgress, ...]

    def summary(self) -> str:
        """One sentence for the project page and the bulletin."""
        head = (
            f"截至{self.as_of.label}，年度计划投资{amount_text(self.annual_plan_fen)}，"
            f"已完成{amount_text(self.completed_to_date_fen)}"
        )
        if self.completion_pct is None or self.gap_points is None:
            return head + "。"
        side = "超" if self.gap_points >= 0 else "低于"
        return f"{head}，占年度计划的{self.completion_pct}%，{side}序时进度{abs(self.gap_points)}个百分点。"


def _monthly_plan(
    year: Sequence[Month], planned_by_month: Mapping[Month, int] | None, annual_plan_fen: int | None
) -> tuple[int, list[int]]:
    """The annual plan and its twelve monthly parts (an annual figure alone is spread evenly)."""
    if planned_by_month is not None:
        monthly = [planned_by_month.get(m, 0) for m in year]
        return (sum(monthly) if annual_plan_fen is None else annual_plan_fen), monthly
    if annual_plan_fen is not None:
        return annual_plan_fen, [
            annual_plan_fen * (i + 1) // 12 - annual_plan_fen * i // 12 for i in range(12)
        ]
    raise ValueError("schedule_progress needs planned_by_month or annual_plan_fen")


def schedule_progress(
    as_of: Month,
    completed_by_month: Mapping[Month, int],
    *,
    planned_by_month: Mapping[Month, int] | None = None,
    annual_plan_fen: int | None = None,
) -> ScheduleProgress:
    """Planned vs completed investment of ``as_of``'s year, January to ``as_of`` (amounts in fen).

    The plan is either month by month (``planned_by_month``; the annual plan is its total for
    the year unless given) or only an annual figure, spread evenly over twelve months.
    """
    year = [Month(as_of.year, m) for m in range(1, 13)]
    annual, monthly = _monthly_plan(year, planned_by_month, annual_plan_fen)
    if annual < 0 or min(monthly) < 0 or any(v < 0 for v in completed_by_month.values()):
        raise ValidationFailed("投资额不能为负数。", code="projects.amount_negative")
    rows: list[MonthProgress] = []
    planned_cum = completed_cum = 0
    for month, planned in zip(year[: as_of.month], monthly, strict=False):
        completed = completed_by_month.get(month, 0)
        planned_cum, completed_cum = planned_cum + planned, completed_cum + completed
        rows.append(MonthProgress(month, planned, completed, planned_cum, completed_cum))
    time_pct, completion_pct = _pct(planned_cum, annual), _pct(completed_cum, annual)
    gap = completion_pct - time_pct if completion_pct is not None and time_pct is not None else None
    return ScheduleProgress(
        as_of,
        annual,
        planned_cum,
        completed_cum,
        time_pct,
        completion_pct,
        _pct(completed_cum, planned_cum),
        gap,
        tuple(rows),
    )
