"""Suggested pairs and what became of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

DECISIONS = {"suggested": "待处理", "accepted": "已采纳", "dismissed": "已忽略"}
OUTCOMES = {
    "none": "—",
    "introduced": "已引荐",
    "meeting": "已对接洽谈",
    "agreement": "已达成意向",
    "contract": "已签技术合同",
}
OUTCOME_ORDER = ("none", "introduced", "meeting", "agreement", "contract")


class Pair(Base):
    """A challenge and a capability the ranker put together, the broker's decision and the outcome."""

    __tablename__ = "matching_pair"
    __table_args__ = (UniqueConstraint("challenge_id", "capability_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("matching_challenge.id", ondelete="CASCADE"), index=True
    )
    capability_id: Mapped[int] = mapped_column(
        ForeignKey("matching_capability.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float)
    why: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(String(20), default="suggested")
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="none")
    contract_fen: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
