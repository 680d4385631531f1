"""The job table: one row per background job, the single source of truth for its state."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.db import Base, UTCDateTime


class JobState(StrEnum):
    queued = "queued"  # 排队中
    running = "running"  # 运行中
    done = "done"  # 已完成
    failed = "failed"  # 失败
    cancelled = "cancelled"  # 已取消

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def finished(self) -> bool:
        return self in (JobState.done, JobState.failed, JobState.cancelled)


STATE_LABELS: dict[JobState, str] = {
    JobState.queued: "排队中",
    JobState.running: "运行中",
    JobState.done: "已完成",
    JobState.failed: "失败",
    JobState.cancelled: "已取消",
}


class Job(Base):
    """A background job; ``key`` makes a submission idempotent within its kind."""

    __tablename__ = "platform_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(200), default="")
    started_by: Mapped[int | None] = mapped_column(Integer, index=True)
    params: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(20), default=JobState.queued)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    status_line: Mapped[str] = mapped_column(String(200), default="")
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(120))
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    result_name: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("kind", "key", name="uq_platform_jobs_kind_key"),
        Index("ix_platform_jobs_state_created", "state", "created_at"),
    )

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state} {self.progress}%>"

    @property
    def job_state(self) -> JobState:
        return JobState(self.state)
