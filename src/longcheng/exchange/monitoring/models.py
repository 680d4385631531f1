"""A risk signal found by the scan: its kind, the lot or subject, the evidence, and its review."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class RiskSignal(Base):
    """One signal; ``subject`` makes a rescan idempotent (same kind + subject = same signal)."""

    __tablename__ = "exchange_risk_signal"
    __table_args__ = (UniqueConstraint("kind", "subject", name="uq_exchange_risk_signal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    listing_code: Mapped[str] = mapped_column(String(30), default="")
    summary: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)  # open|dismissed|confirmed
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
    review_note: Mapped[str] = mapped_column(Text, default="")


class TradeRollup(Base):
    """Closed lots summed per institution, class and month (Beijing time): what the dashboard reads."""

    __tablename__ = "exchange_trade_rollup"
    __table_args__ = (
        UniqueConstraint("institution_id", "asset_class", "month", name="uq_exchange_trade_rollup"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(Integer, index=True)
    asset_class: Mapped[str] = mapped_column(String(20))
    month: Mapped[str] = mapped_column(String(7))
    closed: Mapped[int] = mapped_column(Integer)
    sold: Mapped[int] = mapped_column(Integer)
    volume_fen: Mapped[int] = mapped_column(BigInteger)
    start_fen: Mapped[int] = mapped_column(BigInteger)
    days_sum: Mapped[float] = mapped_column(Float)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RiskScan(Base):
    """One run of the risk scan: the lots closed at or after ``since`` were checked; the next scan
    starts from ``watermark`` (the latest close it saw)."""

    __tablename__ = "exchange_risk_scan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    watermark: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lots: Mapped[int] = mapped_column(Integer)
    new_signals: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(120))
    ran_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
