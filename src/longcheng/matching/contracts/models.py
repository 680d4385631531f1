"""A challenge's contract with the selected solver, and its milestones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

MILESTONE_STATES = {"pending": "进行中", "accepted": "已验收（待拨付）"}


class Contract(Base):
    """One per challenge: the selected proposal and the total of its milestones in fen."""

    __tablename__ = "matching_contract"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("matching_challenge.id", ondelete="CASCADE"), unique=True
    )
    proposal_id: Mapped[int] = mapped_column(ForeignKey("matching_proposal.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    # Optional: milestone payments made payable in this grants programme (on 验收).
    grants_programme: Mapped[str | None] = mapped_column(String(30))
    payee_bank: Mapped[str] = mapped_column(String(120), default="")
    payee_account_token: Mapped[str] = mapped_column(String(500), default="")  # vault-encrypted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    milestones: Mapped[list[Milestone]] = relationship(order_by="Milestone.seq", cascade="all, delete-orphan")


class Milestone(Base):
    """A milestone: what, by when, how much; accepted (验收) by the seeker."""

    __tablename__ = "matching_milestone"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("matching_contract.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    payable_id: Mapped[int | None] = mapped_column(Integer)
