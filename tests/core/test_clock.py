"""Timestamps are UTC underneath and Beijing time on screen; naive values are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from longcheng.core import clock
from longcheng.core.clock import NaiveDatetimeError


def test_utcnow_is_aware_utc() -> None:
    """The current time carries the UTC zone, so it can be stored without guessing."""
    now = clock.utcnow()
    assert now.utcoffset() == timedelta(0)


def test_shown_in_beijing_time() -> None:
    """04:03 UTC is shown as 12:03 in Beijing."""
    instant = datetime(2026, 11, 24, 4, 3, tzinfo=UTC)
    assert clock.format_local(instant) == "2026-11-24 12:03"
    assert clock.to_local(instant).hour == 12


def test_other_zones_convert_to_the_same_instant() -> None:
    """An aware time in another zone is converted, not relabelled."""
    new_york_noon = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=-4)))
    assert clock.format_local(new_york_noon, "%m-%d %H:%M") == "07-02 00:00"
    assert clock.to_utc(new_york_noon) == datetime(2026, 7, 1, 16, 0, tzinfo=UTC)


def test_local_today_rolls_over_at_beijing_midnight() -> None:
    """At 16:30 UTC it is already the next day in Beijing."""
    assert clock.local_today(datetime(2026, 9, 30, 16, 30, tzinfo=UTC)) == date(2026, 10, 1)
    assert clock.local_today(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == date(2026, 9, 30)
    assert isinstance(clock.local_today(), date)


@pytest.mark.parametrize("func", [clock.to_local, clock.format_local, clock.to_utc, clock.local_date])
def test_naive_datetimes_are_refused(func: object) -> None:
    """A datetime without a zone is refused with a stable code and a Chinese message."""
    assert callable(func)
    with pytest.raises(NaiveDatetimeError) as caught:
        func(datetime(2026, 11, 24, 12, 3))
    assert caught.value.code_text == "time.naive_datetime"
    assert "时区" in caught.value.message_text
