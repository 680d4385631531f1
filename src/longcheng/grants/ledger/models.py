"""Tables of the budget ledger: accounts with stored balances, and the postings between them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

ACCOUNT_KINDS = ("appropriation", "available", "committed", "payable", "paid", "clawed_back")
ACCOUNT_LABELS = {
    "appropriation": "预算来源",
    "available": "可用预算",
    "committed": "已承诺",
    "payable": "待支付",
    "paid": "已支付",
    "clawed_back": "已追回",
}


class LedgerAccount(Base):
    __tablename__ = "grants_ledger_account"
    __table_args__ = (
        UniqueConstraint("programme_id", "fiscal_year", "kind", name="uq_grants_ledger_account"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grants_programme.id", ondelete="CASCADE"))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)

    @property
    def label(self) -> str:
        return ACCOUNT_LABELS.get(self.kind, self.kind)


class LedgerPosting(Base):
    """``amount_fen`` moved from ``debit_account`` (decreases) to ``credit_account`` (increases)."""

    __tablename__ = "grants_ledger_posting"
    __table_args__ = (Index("ix_grants_ledger_posting_source", "source_kind", "source_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_account_id: Mapped[int] = mapped_column(ForeignKey("grants_ledger_account.id"), index=True)
    to_account_id: Mapped[int] = mapped_column(ForeignKey("grants_ledger_account.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(40))
    source_kind: Mapped[str] = mapped_column(String(40), default="")
    source_ref: Mapped[str] = mapped_column(String(80), default="")
    memo: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
