"""Tables of applications, their submitted versions, and their stage events."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime
from longcheng.grants.attachments.models import AttachmentColumns


class Application(Base):
    """One firm's application to a programme in a fiscal year (never two)."""

    __tablename__ = "grants_application"
    __table_args__ = (
        UniqueConstraint("programme_id", "fiscal_year", "applicant_uscc", name="uq_grants_application_once"),
        Index("ix_grants_application_queue", "window_id", "stage", "stage_entered_at"),
        Index("ix_grants_application_age", "stage_entered_at", "id"),
        Index("ix_grants_application_stage_age", "stage", "stage_entered_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("grants_window.id"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grants_programme.id"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    applicant_uscc: Mapped[str] = mapped_column(String(18), index=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(30), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    requested_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    policy_fen: Mapped[int | None] = mapped_column(BigInteger)
    policy_explanation: Mapped[str] = mapped_column(Text, default="{}")
    approved_fen: Mapped[int | None] = mapped_column(BigInteger)
    form_data: Mapped[str] = mapped_column(Text, default="{}")
    account_token: Mapped[str | None] = mapped_column(String(300))
    account_masked: Mapped[str] = mapped_column(String(40), default="")
    bank_name: Mapped[str] = mapped_column(String(120), default="")
    pledge_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str] = mapped_column(Text, default="")
    return_due: Mapped[date | None] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    versions: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def scope_uscc(self) -> str | None:
        return self.applicant_uscc

    @property
    def scope_district(self) -> str | None:
        return self.district


class ApplicationVersion(Base):
    """A submitted version, kept as it was (never overwritten)."""

    __tablename__ = "grants_application_version"
    __table_args__ = (UniqueConstraint("application_id", "version", name="uq_grants_application_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grants_application.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    requested_fen: Mapped[int] = mapped_column(BigInteger)
    form_data: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))


class StageEvent(Base):
    __tablename__ = "grants_stage_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grants_application.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApplicationFile(AttachmentColumns, Base):
    """An uploaded material for a checklist item; a new upload adds a row, never overwrites."""

    __tablename__ = "grants_application_file"

    application_id: Mapped[int] = mapped_column(
        ForeignKey("grants_application.id", ondelete="CASCADE"), index=True
    )
    item: Mapped[str] = mapped_column(String(30))
