"""Rules as data: the packaged rulebook loads, bad keys are named, periods follow the calendar."""

from __future__ import annotations

from datetime import date

import pytest

from longcheng.core.workdays import default_calendar
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.periods import disclosure_end


def test_every_class_has_fields_and_complete_rules() -> None:
    rb = book.load()
    assert set(rb.classes) == {"equity", "debt", "realty", "vehicle", "equipment"}
    assert rb.rules_for("equity")["disclosure_days"] == 20
    assert rb.rules_for("equity")["preemption"] == "once"
    assert rb.rules_for("realty")["countdown_seconds"] == 180


def test_an_unknown_or_mistyped_rule_is_refused_with_its_key() -> None:
    data = {"version": "x", "defaults": {"disclosure_days": "ten"}, "modes": {}, "classes": {}}
    with pytest.raises(book.RulebookError, match="defaults.disclosure_days"):
        book.parse(data)
    data = {"version": "x", "defaults": {"countdown": 1}, "modes": {}, "classes": {}}
    with pytest.raises(book.RulebookError, match="未知的规则项 countdown"):
        book.parse(data)


def test_a_calendar_day_period_ending_on_a_holiday_moves_to_the_next_working_day_and_says_so() -> None:
    cal = default_calendar(allow_uncovered=True)
    end, note = disclosure_end(cal, date(2026, 9, 24), 7, "calendar")
    assert date(2026, 10, 1) < end
    assert cal.is_working_day(end)
    assert "2026-10-01" in note
    assert "顺延至下一个工作日" in note
    assert "国庆" in note


def test_a_working_day_period_counts_working_days_only() -> None:
    cal = default_calendar(allow_uncovered=True)
    end, note = disclosure_end(cal, date(2026, 9, 28), 5, "working")
    assert cal.working_days_between(date(2026, 9, 28), end) == 5
    assert "个工作日" in note
