"""Cron expressions in Beijing time, with the working-day calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from longcheng.core.clock import SHANGHAI
from longcheng.core.workdays import default_calendar
from longcheng.platform.schedules import cron


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def test_daily_two_am_is_beijing_time() -> None:
    """ "0 2 * * *" falls due at 02:00 Beijing, i.e. 18:00 UTC the day before."""
    due = cron.parse("0 2 * * *").next_after(bj(2026, 3, 2, 10, 0))
    assert due == datetime(2026, 3, 2, 18, 0, tzinfo=UTC)


def test_monday_eight() -> None:
    """Day-of-week 1 is Monday."""
    due = cron.parse("0 8 * * 1").next_after(bj(2026, 3, 4, 9, 0))
    assert due is not None
    assert due.astimezone(SHANGHAI) == bj(2026, 3, 9, 8, 0)


def test_working_days_skip_holidays_and_work_makeup_saturdays() -> None:
    """Working days only: the National Day week is skipped and a 调休 Saturday runs."""
    cal = default_calendar(allow_uncovered=True)
    makeup = next(d for d in (date(2025, 9, 28), date(2025, 10, 11)) if cal.is_makeup_workday(d))
    expr = cron.parse("0 9 * * *")
    due = expr.next_after(bj(2025, 9, 30, 10, 0), cal.is_working_day)
    assert due is not None
    assert due.astimezone(SHANGHAI) == bj(2025, 10, 9, 9, 0)
    on_makeup = expr.next_after(datetime.combine(makeup, datetime.min.time(), SHANGHAI), cal.is_working_day)
    assert on_makeup is not None
    assert on_makeup.astimezone(SHANGHAI).date() == makeup


def test_latest_between_catches_up_once() -> None:
    """After three missed days, only the latest due time is returned."""
    due = cron.parse("0 2 * * *").latest_between(bj(2026, 3, 1, 3, 0), bj(2026, 3, 4, 12, 0))
    assert due is not None
    assert due.astimezone(SHANGHAI) == bj(2026, 3, 4, 2, 0)


def test_steps_ranges_lists() -> None:
    """Steps, ranges and lists combine."""
    c = cron.parse("*/15 9-10,14 * * 1-5")
    assert c.minutes == (0, 15, 30, 45)
    assert c.hours == (9, 10, 14)


@pytest.mark.parametrize(
    ("expr", "word"),
    [("0 25 * * *", "小时"), ("0 2 * *", "5 个字段"), ("x 2 * * *", "分钟"), ("*/0 * * * *", "步长")],
)
def test_invalid(expr: str, word: str) -> None:
    """An invalid expression is refused, naming the field."""
    with pytest.raises(cron.CronError, match=word):
        cron.parse(expr)
