"""Schedules, their runs (one per due time, enforced by the database) and one-off deadlines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.db import Base, UTCDateTime


class Schedule(Base):
    """A periodic task: ``cron`` in Beijing time; ``working_days_only`` follows the holiday calendar."""

    __tablename__ = "platform_schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    cron: Mapped[str] = mapped_column(String(100))
    working_days_only: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(80))
    params: Mapped[str] = mapped_column(Text, default="{}")
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<Schedule {self.name} {self.cron!r}>"


class ScheduleRun(Base):
    """One due time of one schedule: the unique pair is what stops a tick from running twice."""

    __tablename__ = "platform_schedule_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("platform_schedules.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    job_id: Mapped[int | None] = mapped_column(ForeignKey("platform_jobs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("schedule_id", "due_at", name="uq_platform_schedule_runs_due"),)


class Deadline(Base):
    """Run ``kind`` once at ``run_at`` for one object (``key``, unique per kind)."""

    __tablename__ = "platform_deadlines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    params: Mapped[str] = mapped_column(Text, default="{}")
    run_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    fired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    job_id: Mapped[int | None] = mapped_column(ForeignKey("platform_jobs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("kind", "key", name="uq_platform_deadlines_kind_key"),)
