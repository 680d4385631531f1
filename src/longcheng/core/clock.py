"""Time: stored in UTC, shown in Asia/Shanghai.

Every timestamp Longcheng stores is an aware UTC ``datetime``; people see it in Beijing time
(Asia/Shanghai, UTC+8, no daylight saving). Naive datetimes are ambiguous — a naive value may
be local or UTC depending on who wrote it — so every function here refuses them with
:class:`NaiveDatetimeError` instead of guessing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

from longcheng.core.errors import LongchengError

SHANGHAI = ZoneInfo("Asia/Shanghai")
"""The display time zone of the platform (北京时间)."""

DEFAULT_FORMAT = "%Y-%m-%d %H:%M"
"""How a timestamp is shown to people, e.g. ``2026-11-24 12:03``."""


class NaiveDatetimeError(LongchengError):
    """A datetime without a time zone reached code that needs to know which instant it is."""

    code: ClassVar[str] = "time.naive_datetime"
    status: ClassVar[int] = 500
    message: ClassVar[str] = "时间缺少时区信息，无法确定具体时刻（系统内部错误）。"


def _require_aware(dt: datetime) -> datetime:
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        raise NaiveDatetimeError(
            f"时间 {dt.isoformat()} 缺少时区信息，无法确定具体时刻（系统内部错误）。",
            details={"value": dt.isoformat()},
        )
    return dt


def utcnow() -> datetime:
    """The current instant as an aware UTC datetime (the form every table stores)."""
    return datetime.now(UTC)


def to_utc(dt: datetime) -> datetime:
    """Convert an aware datetime to UTC for storage; naive values are rejected."""
    return _require_aware(dt).astimezone(UTC)


def to_local(dt: datetime) -> datetime:
    """Convert an aware datetime to Beijing time (Asia/Shanghai) for display."""
    return _require_aware(dt).astimezone(SHANGHAI)


def format_local(dt: datetime, fmt: str = DEFAULT_FORMAT) -> str:
    """Format an aware datetime in Beijing time, by default as ``2026-11-24 12:03``."""
    return to_local(dt).strftime(fmt)


def local_date(dt: datetime) -> date:
    """The calendar date in Beijing of an aware instant (23:30 UTC is already tomorrow there)."""
    return to_local(dt).date()


def local_today(now: datetime | None = None) -> date:
    """Today's date in Beijing; ``now`` (aware) may be passed to make callers deterministic."""
    return local_date(now if now is not None else utcnow())


def local_midnight_utc(day: date, *, days_after: int = 0) -> datetime:
    """The UTC instant of midnight in Beijing at the start of ``day`` (plus ``days_after`` days)."""
    return datetime.combine(day + timedelta(days=days_after), time(0), tzinfo=SHANGHAI).astimezone(UTC)
