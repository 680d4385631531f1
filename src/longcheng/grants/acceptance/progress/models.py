"""Tables of progress reports: the schedule per programme, the reports per acceptance task, files."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime
from longcheng.grants.attachments.models import AttachmentColumns

REPORT_STATES = {"due": "待提交", "submitted": "待审核", "returned": "退回修改", "accepted": "已通过"}
FILE_TYPES = ["pdf", "jpg", "png", "docx", "xlsx"]
FILE_MAX_MB = 20
DEFAULT_EVERY_MONTHS = 3
DEFAULT_REPORTS = 4
DEFAULT_REMIND_DAYS = 5


class ProgressPlan(Base):
    """How often the funded firms of one programme report (set by the programme's officers)."""

    __tablename__ = "grants_progress_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("grants_programme.id", ondelete="CASCADE"), unique=True
    )
    every_months: Mapped[int] = mapped_column(Integer)
    reports: Mapped[int] = mapped_column(Integer)
    remind_days: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProgressReport(Base):
    """One scheduled report of an acceptance task; the text is replaced only while not accepted,
    and every change is in the audit trail."""

    __tablename__ = "grants_progress_report"
    __table_args__ = (UniqueConstraint("task_id", "seq", name="uq_grants_progress_report_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("grants_acceptance_task.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[str] = mapped_column(String(10), default="due", index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str] = mapped_column(String(120), default="")
    review_note: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def state_label(self) -> str:
        return REPORT_STATES.get(self.state, self.state)


class ProgressFile(AttachmentColumns, Base):
    """An attachment of a progress report; a new upload adds a row, never overwrites."""

    __tablename__ = "grants_progress_file"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("grants_progress_report.id", ondelete="CASCADE"), index=True
    )
