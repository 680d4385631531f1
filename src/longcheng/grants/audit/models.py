"""Tables of audit samples (seeded, recorded draws of paid awards) and their findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

RESULTS = {"pending": "待核查", "ok": "无问题", "issue": "发现问题"}


class AuditSample(Base):
    """One draw: the seed, the population size and who drew it, so it can be redrawn and checked."""

    __tablename__ = "grants_audit_sample"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grants_programme.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    seed: Mapped[int] = mapped_column(BigInteger)
    population: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    drawn_by: Mapped[str] = mapped_column(String(120))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditItem(Base):
    """A sampled paid payable and the auditor's finding; a clawback amount moves paid → clawed back."""

    __tablename__ = "grants_audit_item"
    __table_args__ = (UniqueConstraint("sample_id", "payable_id", name="uq_grants_audit_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sample_id: Mapped[int] = mapped_column(
        ForeignKey("grants_audit_sample.id", ondelete="CASCADE"), index=True
    )
    payable_id: Mapped[int] = mapped_column(ForeignKey("grants_payable.id"))
    source_ref: Mapped[str] = mapped_column(String(80))
    payee_name: Mapped[str] = mapped_column(String(200))
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    result: Mapped[str] = mapped_column(String(10), default="pending")
    finding: Mapped[str] = mapped_column(Text, default="")
    clawback_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def result_label(self) -> str:
        return RESULTS.get(self.result, self.result)
