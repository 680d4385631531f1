"""Tables of 先建后补 acceptance: one task per decided application, its evidence, its inspections."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime
from longcheng.grants.attachments.models import AttachmentColumns

TASK_STATES = {
    "open": "待提交验收材料",
    "submitted": "待现场验收",
    "rectify": "限期整改",
    "passed": "验收通过",
    "failed": "验收不通过",
}
RESULTS = {"pass": "通过", "fail": "不通过", "rectify": "限期整改"}
EVIDENCE = {
    "invoices": {"label": "发票", "types": ["pdf", "jpg", "png"], "max_mb": 20},
    "audit_report": {"label": "专项审计报告", "types": ["pdf"], "max_mb": 20},
    "photos": {"label": "现场照片", "types": ["jpg", "png", "pdf"], "max_mb": 20},
}


class AcceptanceTask(Base):
    """The acceptance of one decided 先建后补 application (never two)."""

    __tablename__ = "grants_acceptance_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_application.id"), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    rectify_due: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def state_label(self) -> str:
        return TASK_STATES.get(self.state, self.state)


class AcceptanceFile(AttachmentColumns, Base):
    """A completion evidence file; a new upload adds a row, never overwrites."""

    __tablename__ = "grants_acceptance_file"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("grants_acceptance_task.id", ondelete="CASCADE"), index=True
    )
    item: Mapped[str] = mapped_column(String(30))


class Inspection(Base):
    """An inspection team's visit and its result."""

    __tablename__ = "grants_acceptance_inspection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("grants_acceptance_task.id", ondelete="CASCADE"), index=True
    )
    inspected_on: Mapped[date] = mapped_column(Date)
    members: Mapped[str] = mapped_column(String(500))
    findings: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(10))
    rectify_due: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def result_label(self) -> str:
        return RESULTS.get(self.result, self.result)
