"""Dates in news sentences, resolved against the publication date.

Results are ISO 8601 strings of the precision the text gives: ``2023-03-15``, ``2023-03``,
``2023``, or an interval ``start/end`` of months or years: ``1-4月份`` → ``2023-01/2023-04``,
``今年一季度`` → ``2023-01/2023-03``, ``上半年`` → ``2023-01/2023-06``, ``“十四五”`` →
``2021/2025``. Relative expressions (今年, 去年12月, 6月底, 上半年) need the publication date;
without one they resolve to ``None``. A month written without a year that lies after the
publication month belongs to the year before (news reports the past: "12月" in a January article).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_PERIODS: dict[str, tuple[int, int]] = {
    "上半年": (1, 6),
    "下半年": (7, 12),
    "一季度": (1, 3),
    "第一季度": (1, 3),
    "二季度": (4, 6),
    "第二季度": (4, 6),
    "三季度": (7, 9),
    "第三季度": (7, 9),
    "四季度": (10, 12),
    "第四季度": (10, 12),
    "前三季度": (1, 9),
    "年初": (1, 1),
    "年底": (12, 12),
    "年末": (12, 12),
}
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_PLANS = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}

_PERIOD = "|".join(sorted(_PERIODS, key=len, reverse=True))
DATE_RE = re.compile(
    r"(?P<plan>十[二三四五]五)"
    rf"|(?:(?P<year>(?:19|20)\d{{2}}) ?年|(?P<rel>今年|本年|当年|去年|上年|前年|明年))"
    r"(?:(?P<m1>\d{1,2})(?:月份?)? ?[-—–~至到] ?(?P<m2>\d{1,2}) ?月份?"
    r"|(?P<month>\d{1,2}) ?月(?:份|底|末|初)?(?: ?(?P<day>\d{1,2}) ?日)?"
    rf"|(?P<period>{_PERIOD}))?"
    r"|(?<![\d年])(?<!\d\.)(?:(?P<bm1>\d{1,2})(?:月份?)? ?[-—–~至到] ?(?P<bm2>\d{1,2}) ?月份?"
    r"|(?P<bmonth>\d{1,2}) ?月(?:份|底|末|初)?(?: ?(?P<bday>\d{1,2}) ?日)?)"
    rf"|(?P<bperiod>{_PERIOD})"
)


@dataclass(frozen=True)
class DateMention:
    value: str
    start: int
    end: int


def _month_range(year: int, first: int, last: int) -> str | None:
    if not (1 <= first <= 12 and 1 <= last <= 12) or first > last:
        return None
    if first == last:
        return f"{year:04d}-{first:02d}"
    return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}"


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _resolve(m: re.Match[str], published: date | None) -> str | None:
    g = m.groupdict()
    if g["plan"]:
        first, last = _PLANS[g["plan"]]
        return f"{first}/{last}"
    if g["year"] or g["rel"]:
        if g["year"]:
            year = int(g["year"])
        elif published is None:
            return None
        else:
            year = published.year + _RELATIVE_YEARS[g["rel"]]
        return _within_year(year, g["m1"], g["m2"], g["month"], g["day"], g["period"])
    if published is None:
        return None
    month = g["bmonth"] or g["bm2"]
    year = published.year - (1 if month and int(month) > published.month else 0)
    return _within_year(year, g["bm1"], g["bm2"], g["bmonth"], g["bday"], g["bperiod"])


def _within_year(
    year: int, m1: str | None, m2: str | None, month: str | None, day: str | None, period: str | None
) -> str | None:
    if m1 and m2:
        return _month_range(year, int(m1), int(m2))
    if month and day:
        return _day(year, int(month), int(day))
    if month:
        return _month_range(year, int(month), int(month))
    if period:
        return _month_range(year, *_PERIODS[period])
    return f"{year:04d}"


def find_dates(text: str, start: int, end: int, published: date | None) -> list[DateMention]:
    """Every date in ``text[start:end]`` that resolves, with offsets into ``text``."""
    out: list[DateMention] = []
    for m in DATE_RE.finditer(text, start, end):
        value = _resolve(m, published)
        if value is not None:
            out.append(DateMention(value, m.start(), m.end()))
    return out
