"""The table of news evidence: facts offered for a project, and possible new leads."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class ProjectEvidence(Base):
    """A fact from the news offered as evidence for a project, or as a possible new lead.

    ``project_id`` is None for a lead. ``status``: proposed → accepted / rejected (evidence);
    lead → converted / dismissed (leads). ``source_ref`` names the fact in its own module
    (e.g. the intel fact id) and ``link`` points to the sentence.
    """

    __tablename__ = "projects_evidence"
    __table_args__ = (
        Index("ix_projects_evidence_source", "source_kind", "source_ref"),
        Index("ix_projects_evidence_project", "project_id", "status"),
        Index("ix_projects_evidence_status", "status", "reported_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"))
    source_kind: Mapped[str] = mapped_column(String(20), default="news")
    source_ref: Mapped[str] = mapped_column(String(80))
    reported_on: Mapped[date | None] = mapped_column(Date)
    event: Mapped[str | None] = mapped_column(String(20))
    cue: Mapped[str] = mapped_column(String(200), default="")
    sentence: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    org_names: Mapped[str] = mapped_column(Text, default="")
    project_name: Mapped[str] = mapped_column(String(200), default="")
    place_code: Mapped[str | None] = mapped_column(String(30))
    district: Mapped[str | None] = mapped_column(String(30))
    score: Mapped[int] = mapped_column(Integer, default=0)
    match_reasons: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def reason_list(self) -> list[str]:
        return [r for r in self.match_reasons.splitlines() if r.strip()]
