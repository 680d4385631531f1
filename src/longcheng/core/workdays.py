"""Working days (工作日) in mainland China, from the holiday arrangement kept as data.

Every year the State Council General Office (国务院办公厅) publishes which days are public
holidays (放假) and which weekend days are worked instead (调休上班). ``data/holidays.yaml``
holds those notices year by year; a day is a working day when it is a make-up working day, or
a Monday–Friday that is not inside a holiday period.

Conventions (chosen so that deadlines read the way officers write them):

* ``add_working_days(d, n)`` with ``n > 0`` is the n-th working day *after* ``d``; ``d`` itself
  never counts, whether or not it is a working day ("5个工作日内答复" issued on a Friday is due
  the following Friday). ``n < 0`` is the |n|-th working day *before* ``d``. ``n == 0`` is
  ``next_working_day(d)``.
* ``working_days_between(a, b)`` counts the working days in ``(a, b]`` and is negative when
  ``b < a`` (it is antisymmetric). For ``n >= 0``, or for any ``n`` when ``d`` is a working
  day, ``working_days_between(d, add_working_days(d, n)) == n``.
* A date in a year whose arrangement is not in the data raises :class:`CalendarNotCovered`
  (code ``calendar.year_not_covered``) instead of silently treating it as an ordinary year.
  A calendar built with ``allow_uncovered=True`` instead treats such years as plain
  Monday–Friday weeks; :meth:`WorkdayCalendar.covers` tells callers when that happened so they
  can say so ("2027年放假安排尚未发布，按周一至周五推算").

The calendar precomputes, over the years it spans, one boolean per day and a prefix count of
working days, so the array methods answer 300,000 questions in a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import numpy.typing as npt
import yaml

from longcheng.core.errors import LongchengError

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

DayArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class CalendarNotCovered(LongchengError):
    """A date falls in a year whose holiday arrangement is not in the calendar data."""

    code: ClassVar[str] = "calendar.year_not_covered"
    status: ClassVar[int] = 422
    message: ClassVar[str] = "工作日历未覆盖该年份：尚未录入该年的国务院放假调休安排。"


class CalendarDataError(LongchengError):
    """The holiday data itself is malformed (a wrong date, a weekday marked as make-up day…)."""

    code: ClassVar[str] = "calendar.bad_data"
    status: ClassVar[int] = 500
    message: ClassVar[str] = "节假日数据有误。"


@dataclass(frozen=True)
class HolidayPeriod:
    """One holiday as announced: ``first``..``last`` off (inclusive), ``workdays`` worked instead."""

    name: str
    first: date
    last: date
    workdays: tuple[date, ...] = ()

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class YearArrangement:
    """The holiday arrangement of one year and the notice it comes from (文号)."""

    year: int
    source: str
    periods: tuple[HolidayPeriod, ...]


def _day(d: date) -> int:
    """Days since 1970-01-01, the integer behind ``numpy.datetime64[D]``."""
    return d.toordinal() - _EPOCH_ORDINAL


def _from_day(day: int) -> date:
    return date.fromordinal(day + _EPOCH_ORDINAL)


def _year_span(first_year: int, last_year: int) -> tuple[int, int]:
    return _day(date(first_year, 1, 1)), _day(date(last_year, 12, 31))


@dataclass(frozen=True)
class _Span:
    """Precomputed arrays over ``first_year``..``last_year`` (whole years)."""

    first_year: int
    last_year: int
    lo: int
    work: BoolArray
    prefix: IntArray  # prefix[i] = working days among span days [0, i); length n + 1

    @property
    def hi(self) -> int:
        return self.lo + len(self.work) - 1


class WorkdayCalendar:
    """Working days over the years listed in the data; see the module docstring for conventions."""

    def __init__(self, arrangements: Iterable[YearArrangement], *, allow_uncovered: bool = False) -> None:
        self._years = {a.year: a for a in arrangements}
        if not self._years:
            raise CalendarDataError("节假日数据为空：至少需要一个年份的放假安排。")
        missing = sorted(set(range(min(self._years), max(self._years) + 1)) - set(self._years))
        if missing:
            raise CalendarDataError(f"节假日数据中的年份必须连续，缺少{missing[0]}年的放假安排。")
        self.allow_uncovered = allow_uncovered
        self._off: dict[date, str] = {}
        self._makeup: dict[date, str] = {}
        for arrangement in self._years.values():
            for period in arrangement.periods:
                self._off.update(dict.fromkeys(period.days(), period.name))
                self._makeup.update(dict.fromkeys(period.workdays, period.name))
        self._span = self._build_span(min(self._years), max(self._years))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, allow_uncovered: bool = False) -> WorkdayCalendar:
        """Build from the parsed YAML structure ``{"years": {2025: {"source": ..., "periods": [...]}}}``."""
        years = data.get("years") if isinstance(data, Mapping) else None
        if not isinstance(years, Mapping) or not years:
            raise CalendarDataError("节假日数据缺少 years 部分。")
        arrangements = [_parse_year(year, raw) for year, raw in years.items()]
        return cls(arrangements, allow_uncovered=allow_uncovered)

    @classmethod
    def from_yaml(cls, path: Path | str, *, allow_uncovered: bool = False) -> WorkdayCalendar:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        return cls.from_mapping(data, allow_uncovered=allow_uncovered)

    def with_fallback(self) -> WorkdayCalendar:
        """The same data, treating uncovered years as plain Monday–Friday weeks."""
        return WorkdayCalendar(self._years.values(), allow_uncovered=True)

    # -- what the data says -------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        """The years whose official arrangement is in the data."""
        return tuple(sorted(self._years))

    def covers(self, d: date) -> bool:
        """Whether ``d``'s year has its official arrangement in the data."""
        return d.year in self._years

    def source(self, year: int) -> str:
        """The notice (名称、文号) the year's arrangement comes from."""
        self._check_year(year)
        return self._years[year].source

    def holiday_name(self, d: date) -> str | None:
        """The holiday ``d`` belongs to (春节, 国庆节…), or None."""
        return self._off.get(d)

    def is_makeup_workday(self, d: date) -> bool:
        """Whether ``d`` is a weekend day worked instead of a holiday (调休上班)."""
        return d in self._makeup

    # -- scalar questions ---------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        span = self._span_for(_day(d), _day(d))
        return bool(span.work[_day(d) - span.lo])

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the first working day after it."""
        return self.add_working_days(d, 0)

    def previous_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the last working day before it."""
        return d if self.is_working_day(d) else self.add_working_days(d, -1)

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (before it when ``n < 0``); ``d`` itself never counts."""
        result = self.add_working_days_array(np.array([_day(d)], dtype="datetime64[D]"), np.array([n]))
        return _from_day(int(result.astype(np.int64)[0]))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative when ``b`` is before ``a``."""
        span = self._span_for(min(_day(a), _day(b)), max(_day(a), _day(b)))
        return int(span.prefix[_day(b) - span.lo + 1] - span.prefix[_day(a) - span.lo + 1])

    # -- vectorised questions (numpy datetime64[D] arrays, no NaT) -------------------------

    def is_working_day_array(self, days: npt.ArrayLike) -> BoolArray:
        ints = _ints(days)
        span = self._span_for(int(ints.min()), int(ints.max())) if ints.size else self._span
        return span.work[ints - span.lo]

    def working_days_between_array(self, a: npt.ArrayLike, b: npt.ArrayLike) -> IntArray:
        """Element-wise :meth:`working_days_between`."""
        ai, bi = _ints(a), _ints(b)
        if not ai.size:
            return np.zeros(np.broadcast_shapes(ai.shape, bi.shape), dtype=np.int64)
        span = self._span_for(int(min(ai.min(), bi.min())), int(max(ai.max(), bi.max())))
        return span.prefix[bi - span.lo + 1] - span.prefix[ai - span.lo + 1]

    def add_working_days_array(self, days: npt.ArrayLike, n: npt.ArrayLike) -> DayArray:
        """Element-wise :meth:`add_working_days`; ``n`` broadcasts against ``days``."""
        ints = _ints(days)
        steps = np.asarray(n, dtype=np.int64)
        if not ints.size:
            return np.empty(np.broadcast_shapes(ints.shape, steps.shape), dtype="datetime64[D]")
        span = self._span_for(int(ints.min()), int(ints.max()))
        while True:
            idx = ints - span.lo
            target = np.where(
                steps > 0, span.prefix[idx + 1] + steps, span.prefix[idx] + steps + 1
            )  # the running count of working days the answer carries
            if target.min() >= 1 and target.max() <= span.prefix[-1]:
                result = np.searchsorted(span.prefix, target, side="left") - 1 + span.lo
                return result.astype("datetime64[D]")
            span = self._widen(span, below=bool(target.min() < 1), above=bool(target.max() > span.prefix[-1]))

    # -- internals ----------------------------------------------------------------------

    def _check_year(self, year: int) -> None:
        if year not in self._years:
            raise _not_covered(year, self.years)

    def _span_for(self, lo: int, hi: int) -> _Span:
        span = self._span
        if span.lo <= lo and hi <= span.hi:
            return span
        first, last = _from_day(lo).year, _from_day(hi).year
        if not self.allow_uncovered:
            self._check_year(first if lo < span.lo else last)
        self._span = self._build_span(min(first, span.first_year), max(last, span.last_year))
        return self._span

    def _widen(self, span: _Span, *, below: bool, above: bool) -> _Span:
        """Grow the span when an answer falls outside it (fallback mode), else refuse."""
        if not self.allow_uncovered:
            raise _not_covered(span.first_year - 1 if below else span.last_year + 1, self.years)
        years = max(2, (span.last_year - span.first_year + 1))
        first = span.first_year - years if below else span.first_year
        last = span.last_year + years if above else span.last_year
        self._span = self._build_span(first, last)
        return self._span

    def _build_span(self, first_year: int, last_year: int) -> _Span:
        lo, hi = _year_span(first_year, last_year)
        days = np.arange(lo, hi + 1, dtype=np.int64)
        weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; 0 = Monday
        work = weekday < 5
        for d, _name in self._off.items():
            if lo <= _day(d) <= hi:
                work[_day(d) - lo] = False
        for d in self._makeup:
            if lo <= _day(d) <= hi:
                work[_day(d) - lo] = True
        prefix = np.zeros(len(work) + 1, dtype=np.int64)
        np.cumsum(work, out=prefix[1:])
        return _Span(first_year, last_year, lo, work, prefix)


def _ints(days: npt.ArrayLike) -> IntArray:
    arr = np.asarray(days)
    if arr.dtype != np.dtype("datetime64[D]"):
        arr = arr.astype("datetime64[D]")
    ints = arr.astype(np.int64)
    if np.isnat(arr).any():
        raise ValueError("date arrays passed to the workday calendar must not contain NaT")
    return ints


def _not_covered(year: int, covered: tuple[int, ...]) -> CalendarNotCovered:
    return CalendarNotCovered(
        f"工作日历未覆盖{year}年：尚未录入该年的国务院放假调休安排（已录入{covered[0]}—{covered[-1]}年）。"
        "请在节假日数据中补充该年安排后再试。",
        details={"year": year, "covered": list(covered)},
    )


def _parse_year(year: Any, raw: Any) -> YearArrangement:
    if not isinstance(year, int) or not isinstance(raw, Mapping):
        raise CalendarDataError(f"节假日数据中的年份“{year}”格式有误。")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalendarDataError(f"{year}年的放假安排缺少来源（通知名称与文号）。")
    periods = tuple(_parse_period(year, item) for item in raw.get("periods") or [])
    off = {d for p in periods for d in p.days()}
    for period in periods:
        for day in period.workdays:
            if day in off:
                raise CalendarDataError(f"{year}年{period.name}：{day}同时被列为放假日和调休上班日。")
    return YearArrangement(year, source.strip(), periods)


def _parse_period(year: int, item: Any) -> HolidayPeriod:
    if not isinstance(item, Mapping):
        raise CalendarDataError(f"{year}年的放假安排中有一项格式有误。")
    name, first, last = item.get("name"), item.get("from"), item.get("to")
    workdays = tuple(item.get("workdays") or ())
    if not isinstance(name, str) or not isinstance(first, date) or not isinstance(last, date):
        raise CalendarDataError(f"{year}年的放假安排中有一项缺少名称或起止日期。")
    if not all(isinstance(d, date) for d in workdays):
        raise CalendarDataError(f"{year}年{name}：调休上班日必须写成日期（如 2025-01-26）。")
    if first > last or first.year != year or last.year != year:
        raise CalendarDataError(f"{year}年{name}：放假起止日期{first}至{last}有误。")
    for day in workdays:
        if day.year != year or day.weekday() < 5:
            raise CalendarDataError(f"{year}年{name}：调休上班日{day}应是本年的周六或周日。")
    return HolidayPeriod(name, first, last, workdays)


@lru_cache(maxsize=2)
def default_calendar(*, allow_uncovered: bool = False) -> WorkdayCalendar:
    """The calendar of the packaged data (``core/data/holidays.yaml``), loaded once."""
    text = resources.files("longcheng.core.data").joinpath("holidays.yaml").read_text(encoding="utf-8")
    return WorkdayCalendar.from_mapping(yaml.safe_load(text), allow_uncovered=allow_uncovered)


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day under the official arrangement (strict: uncovered years raise)."""
    return default_calendar().is_working_day(d)


def next_working_day(d: date) -> date:
    """``d`` itself when it is a working day, else the first working day after it."""
    return default_calendar().next_working_day(d)


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after ``d`` (before it when ``n < 0``); ``d`` itself never counts."""
    return default_calendar().add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    """Working days in ``(a, b]``; negative when ``b`` is before ``a``."""
    return default_calendar().working_days_between(a, b)
