"""Publication dates as written on news pages, bulletins and magazines.

Full dates (``2025-08-13``, ``2023年3月15日``, ``2023/03/15 10:00``), dates broken over
several short lines (``2024`` / ``08/29`` / ``15:53``), a month and day without a year
(``8个月前 (09-24)``: kept as text, no date), and a periodical issue (``2021年第6期``: the
year only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from longcheng.intel.ingest.model import DatePrecision

_FULL = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"
    r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
)
_SPLIT = re.compile(r"^((?:19|20)\d{2})\s+(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s+\d{1,2}:\d{2})?$")
_MONTH_DAY = re.compile(r"(?<![\d/.-])(\d{2})-(\d{2})(?![\d/.-])")
_ISSUE = re.compile(r"((?:19|20)\d{2})\s*年\s*第\s*\**\s*\d{1,3}\s*\**\s*期")


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date | None
    precision: DatePrecision | None
    text: str


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def full_date(text: str) -> FoundDate | None:
    """The first complete calendar date written in ``text``."""
    for found in _FULL.finditer(text):
        month = found.group(2) or found.group(4)
        day = found.group(3) or found.group(5)
        value = _make(int(found.group(1)), int(month), int(day))
        if value is not None:
            return FoundDate(value, "day", found.group(0))
    return None


def split_date(texts: list[str]) -> tuple[FoundDate, int] | None:
    """A date spread over the first few short lines; also returns how many lines it used."""
    for count in (3, 2):
        if len(texts) < count:
            continue
        joined = " ".join(texts[:count])
        found = _SPLIT.match(joined)
        if found:
            value = _make(int(found.group(1)), int(found.group(2)), int(found.group(3)))
            if value is not None:
                return FoundDate(value, "day", joined), count
    return None


def meta_date(text: str) -> FoundDate | None:
    """A date in a page's byline: complete, or month and day only (kept as text)."""
    found = full_date(text)
    if found is not None:
        return found
    partial = _MONTH_DAY.search(text)
    if partial and 1 <= int(partial.group(1)) <= 12 and 1 <= int(partial.group(2)) <= 31:
        return FoundDate(None, None, partial.group(0))
    return None


def issue_date(text: str) -> FoundDate | None:
    """The year of a periodical issue (``2021年第 6 期``)."""
    found = _ISSUE.search(text)
    if found is None:
        return None
    return FoundDate(date(int(found.group(1)), 1, 1), "year", found.group(0))
