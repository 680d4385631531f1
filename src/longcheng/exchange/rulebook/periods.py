"""Disclosure periods on the official calendar: N working days, or N calendar days moved off a holiday."""

from __future__ import annotations

from datetime import date, timedelta

from longcheng.core.workdays import WorkdayCalendar


def disclosure_end(cal: WorkdayCalendar, start: date, days: int, kind: str) -> tuple[date, str]:
    """The last day of disclosure and the sentence the listing page shows about it."""
    if kind == "working":
        end = cal.add_working_days(start, days)
        return end, f"信息披露期为 {days} 个工作日，自 {start.isoformat()} 起至 {end.isoformat()} 止。"
    nominal = start + timedelta(days=days)
    end = cal.next_working_day(nominal)
    if end == nominal:
        return end, f"信息披露期为 {days} 个自然日，自 {start.isoformat()} 起至 {end.isoformat()} 止。"
    why = cal.holiday_name(nominal) or "休息日"
    return end, (
        f"信息披露期为 {days} 个自然日，原定于 {nominal.isoformat()} 届满，该日为{why}，"
        f"顺延至下一个工作日 {end.isoformat()}。"
    )
