"""The working-day calendar follows the State Council holiday notices to the day."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from longcheng.core import workdays
from longcheng.core.workdays import (
    CalendarDataError,
    CalendarNotCovered,
    HolidayPeriod,
    WorkdayCalendar,
    YearArrangement,
    default_calendar,
)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class TestOfficialArrangement:
    @pytest.mark.parametrize(
        ("year", "notice"),
        [(2024, "国办发明电〔2023〕7号"), (2025, "国办发明电〔2024〕12号"), (2026, "国办发明电〔2025〕7号")],
    )
    def test_each_year_names_its_notice(self, year: int, notice: str) -> None:
        """Every year of data says which State Council notice it comes from."""
        assert notice in default_calendar().source(year)

    @pytest.mark.parametrize(
        ("first", "last", "makeup"),
        [
            (date(2024, 2, 10), date(2024, 2, 17), [date(2024, 2, 4), date(2024, 2, 18)]),
            (date(2025, 1, 28), date(2025, 2, 4), [date(2025, 1, 26), date(2025, 2, 8)]),
            (date(2026, 2, 15), date(2026, 2, 23), [date(2026, 2, 14), date(2026, 2, 28)]),
            (date(2025, 10, 1), date(2025, 10, 8), [date(2025, 9, 28), date(2025, 10, 11)]),
            (date(2026, 10, 1), date(2026, 10, 7), [date(2026, 9, 20), date(2026, 10, 10)]),
            (date(2026, 5, 1), date(2026, 5, 5), [date(2026, 5, 9)]),
            (date(2024, 5, 1), date(2024, 5, 5), [date(2024, 4, 28), date(2024, 5, 11)]),
        ],
    )
    def test_holidays_are_off_and_makeup_weekends_are_worked(
        self, first: date, last: date, makeup: list[date]
    ) -> None:
        """Every day of a holiday is off, and the announced weekend days are worked."""
        assert not any(workdays.is_working_day(d) for d in _days(first, last))
        assert all(workdays.is_working_day(d) for d in makeup)
        assert all(d.weekday() >= 5 for d in makeup)
        assert workdays.is_working_day(last + timedelta(days=1)) or (last + timedelta(days=1)).weekday() >= 5

    @pytest.mark.parametrize(("year", "expected"), [(2024, 251), (2025, 248), (2026, 248)])
    def test_working_days_per_year(self, year: int, expected: int) -> None:
        """A year has the number of working days the arrangement implies (2025: 248)."""
        assert (
            sum(workdays.is_working_day(d) for d in _days(date(year, 1, 1), date(year, 12, 31))) == expected
        )

    def test_ordinary_days(self) -> None:
        """Without a notice, Monday–Friday are worked and weekends are off."""
        assert workdays.is_working_day(date(2025, 3, 12))  # Wednesday
        assert not workdays.is_working_day(date(2025, 3, 15))  # Saturday

    def test_holiday_name(self) -> None:
        """A holiday day tells which holiday it is; a plain weekend does not."""
        calendar = default_calendar()
        assert calendar.holiday_name(date(2026, 2, 17)) == "春节"
        assert calendar.holiday_name(date(2025, 10, 6)) == "国庆节、中秋节"
        assert calendar.holiday_name(date(2025, 3, 15)) is None
        assert calendar.is_makeup_workday(date(2025, 1, 26))


class TestAddWorkingDays:
    def test_across_spring_festival(self) -> None:
        """One working day after the last day before 春节 2025 is the day after the holiday."""
        assert workdays.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)

    def test_makeup_sunday_counts(self) -> None:
        """The make-up Sunday 2025-01-26 is the first working day after Friday 2025-01-24."""
        assert workdays.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)

    def test_start_day_never_counts(self) -> None:
        """Five working days from a Friday is the next Friday, from a Saturday too."""
        assert workdays.add_working_days(date(2025, 3, 14), 5) == date(2025, 3, 21)
        assert workdays.add_working_days(date(2025, 3, 15), 5) == date(2025, 3, 21)

    def test_backwards(self) -> None:
        """Negative n counts back: the working day before 2025-02-05 is 2025-01-27."""
        assert workdays.add_working_days(date(2025, 2, 5), -1) == date(2025, 1, 27)
        assert workdays.add_working_days(date(2026, 3, 2), -3) == date(2026, 2, 26)  # 02-28 is worked

    def test_zero_rolls_forward(self) -> None:
        """Zero working days from a holiday is the next working day; from a working day, itself."""
        assert workdays.add_working_days(date(2025, 10, 1), 0) == date(2025, 10, 9)
        assert workdays.next_working_day(date(2025, 10, 9)) == date(2025, 10, 9)
        assert default_calendar().previous_working_day(date(2025, 10, 5)) == date(2025, 9, 30)

    def test_across_year_boundary(self) -> None:
        """Counting runs over New Year: 2025-12-31 plus one working day is 2026-01-05."""
        assert workdays.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
        assert workdays.add_working_days(date(2026, 1, 4), 1) == date(2026, 1, 5)


class TestWorkingDaysBetween:
    def test_spring_festival_week(self) -> None:
        """From 2026-02-13 to 2026-02-24 only the make-up Saturday and 02-24 are worked."""
        assert workdays.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2

    def test_antisymmetric(self) -> None:
        """Counting backwards gives the same number with a minus sign."""
        a, b = date(2025, 9, 1), date(2025, 10, 20)
        assert workdays.working_days_between(b, a) == -workdays.working_days_between(a, b)
        assert workdays.working_days_between(a, a) == 0

    @pytest.mark.parametrize("n", [-40, -7, -1, 0, 1, 5, 23, 250])
    def test_round_trip_from_working_day(self, n: int) -> None:
        """Adding n working days and counting them back gives n."""
        start = date(2025, 6, 16)
        assert workdays.working_days_between(start, workdays.add_working_days(start, n)) == n


class TestCoverage:
    def test_uncovered_year_is_refused(self) -> None:
        """A date in 2027 (no notice in the data) is refused with a stable code and a Chinese message."""
        with pytest.raises(CalendarNotCovered) as caught:
            workdays.is_working_day(date(2027, 3, 1))
        assert caught.value.code_text == "calendar.year_not_covered"
        assert "2027年" in caught.value.message_text

    def test_counting_out_of_coverage_is_refused(self) -> None:
        """Adding working days past the last covered year is refused rather than guessed."""
        with pytest.raises(CalendarNotCovered):
            workdays.add_working_days(date(2026, 12, 1), 40)
        with pytest.raises(CalendarNotCovered):
            workdays.add_working_days(date(2024, 1, 5), -10)

    def test_fallback_treats_uncovered_years_as_plain_weeks(self) -> None:
        """With the fallback flag, 2027 counts Monday–Friday and says it is not covered."""
        calendar = default_calendar().with_fallback()
        assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)
        assert not calendar.covers(date(2027, 1, 1))
        assert calendar.covers(date(2026, 12, 31))
        assert calendar.add_working_days(date(2026, 6, 1), 2000).year == 2034


class TestOwnData:
    def test_tests_and_other_years_can_supply_their_own_arrangement(self) -> None:
        """A calendar built from other data follows that data."""
        period = HolidayPeriod("测试假", date(2030, 3, 4), date(2030, 3, 6), (date(2030, 3, 9),))
        calendar = WorkdayCalendar([YearArrangement(2030, "测试通知", (period,))])
        assert not calendar.is_working_day(date(2030, 3, 5))
        assert calendar.is_working_day(date(2030, 3, 9))
        assert calendar.add_working_days(date(2030, 3, 3), 1) == date(2030, 3, 7)

    def test_makeup_day_on_a_weekday_is_bad_data(self) -> None:
        """A make-up working day that is not a weekend day is rejected when loading."""
        data = {
            "years": {
                2030: {
                    "source": "测试",
                    "periods": [
                        {
                            "name": "测试假",
                            "from": date(2030, 3, 4),
                            "to": date(2030, 3, 6),
                            "workdays": [date(2030, 3, 7)],
                        }
                    ],
                }
            }
        }
        with pytest.raises(CalendarDataError, match="周六或周日"):
            WorkdayCalendar.from_mapping(data)

    def test_gap_in_years_is_bad_data(self) -> None:
        """Years must be contiguous, so no year in the middle is silently treated as ordinary."""
        with pytest.raises(CalendarDataError, match="2031"):
            WorkdayCalendar([YearArrangement(2030, "a", ()), YearArrangement(2032, "b", ())])


class TestArrays:
    def test_vectorised_answers_match_scalar_ones(self) -> None:
        """The array methods give the same answers as the one-date methods."""
        calendar = default_calendar()
        starts = [date(2024, 3, 1) + timedelta(days=7 * i + i % 5) for i in range(100)]
        steps = [(i * 13) % 61 - 30 for i in range(100)]
        days = np.array(starts, dtype="datetime64[D]")
        added = calendar.add_working_days_array(days, np.array(steps))
        assert [d.item() for d in added] == [
            calendar.add_working_days(s, n) for s, n in zip(starts, steps, strict=True)
        ]
        ends = days + np.timedelta64(45, "D")
        between = calendar.working_days_between_array(days, ends)
        expected = [calendar.working_days_between(s, e.item()) for s, e in zip(starts, ends, strict=True)]
        assert between.tolist() == expected
        assert calendar.is_working_day_array(days).tolist() == [calendar.is_working_day(s) for s in starts]
