"""Five-field cron expressions read in Beijing time, with an optional working-day filter.

``minute hour day-of-month month day-of-week``; each field takes ``*``, numbers, ranges
``a-b``, steps ``*/n`` / ``a-b/n`` and lists ``a,b``; day-of-week 0 or 7 is Sunday. As in
classic cron, when both day fields are restricted a day matches either. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from longcheng.core.clock import SHANGHAI, to_utc

DayFilter = Callable[[date], bool]
SEARCH_DAYS = 800  # how far next/latest look (covers Feb 29 and yearly schedules)
FIELDS = (("分钟", 0, 59), ("小时", 0, 23), ("日", 1, 31), ("月", 1, 12), ("星期", 0, 7))


class CronError(ValueError):
    """An expression that is not valid cron; the message is Chinese."""


def _part(text: str, name: str, lo: int, hi: int) -> set[int]:
    body, _, step_text = text.partition("/")
    if step_text and (not step_text.isdigit() or int(step_text) == 0):
        raise CronError(f"{name}字段的步长「{step_text}」无效")
    step = int(step_text) if step_text else 1
    if body == "*":
        first, last = lo, hi
    elif "-" in body:
        a, _, b = body.partition("-")
        if not (a.isdigit() and b.isdigit()):
            raise CronError(f"{name}字段的范围「{body}」无效")
        first, last = int(a), int(b)
    elif body.isdigit():
        first = last = int(body)
        if step_text:
            last = hi
    else:
        raise CronError(f"{name}字段「{text}」无法识别")
    if not (lo <= first <= last <= hi):
        raise CronError(f"{name}字段「{text}」超出范围 {lo}–{hi}")
    return set(range(first, last + 1, step))


def _field(text: str, name: str, lo: int, hi: int) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        values |= _part(part, name, lo, hi)
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 = Monday … 6 = Sunday (Python's weekday())
    any_day: bool
    any_weekday: bool

    def day_matches(self, d: date) -> bool:
        if d.month not in self.months:
            return False
        by_day, by_weekday = d.day in self.days, d.weekday() in self.weekdays
        if self.any_day or self.any_weekday:
            return by_day and by_weekday
        return by_day or by_weekday

    def _times(self, d: date, reverse: bool) -> Iterator[datetime]:
        for h in sorted(self.hours, reverse=reverse):
            for m in sorted(self.minutes, reverse=reverse):
                yield to_utc(datetime.combine(d, time(h, m), SHANGHAI))

    def next_after(self, after: datetime, day_ok: DayFilter | None = None) -> datetime | None:
        """The first due instant strictly after ``after`` (aware), or None within the search span."""
        start = after.astimezone(SHANGHAI).date()
        for offset in range(SEARCH_DAYS):
            d = start + timedelta(days=offset)
            if self.day_matches(d) and (day_ok is None or day_ok(d)):
                found = next((t for t in self._times(d, False) if t > after), None)
                if found is not None:
                    return found
        return None

    def latest_between(
        self, after: datetime, upto: datetime, day_ok: DayFilter | None = None
    ) -> datetime | None:
        """The latest due instant in ``(after, upto]``: a catch-up runs once, for this one."""
        end = upto.astimezone(SHANGHAI).date()
        first = after.astimezone(SHANGHAI).date()
        d = end
        while d >= first and (end - d).days < SEARCH_DAYS:
            if self.day_matches(d) and (day_ok is None or day_ok(d)):
                found = next((t for t in self._times(d, True) if after < t <= upto), None)
                if found is not None:
                    return found
            d -= timedelta(days=1)
        return None


def parse(expr: str) -> Cron:
    """Parse ``expr`` or raise :class:`CronError` saying which field is wrong."""
    parts = expr.split()
    if len(parts) != 5:
        raise CronError(f"应有 5 个字段（分 时 日 月 星期），实际 {len(parts)} 个")
    values = [_field(text, *spec) for text, spec in zip(parts, FIELDS, strict=True)]
    weekdays = frozenset((v - 1) % 7 for v in values[4])  # cron 1 = Monday → 0; 0/7 = Sunday → 6
    return Cron(
        minutes=tuple(sorted(values[0])),
        hours=tuple(sorted(values[1])),
        days=values[2],
        months=values[3],
        weekdays=weekdays,
        any_day=parts[2] == "*",
        any_weekday=parts[4] == "*",
    )
