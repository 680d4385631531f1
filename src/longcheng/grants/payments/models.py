"""Tables of payables and payment batches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

PAYABLE_STATES = {"payable": "待支付", "batched": "已列入支付批次", "paid": "已支付", "returned": "银行退回"}
BATCH_STATES = {
    "draft": "待审批",
    "approved_once": "已一审",
    "approved": "已审批（可导出）",
    "exported": "已导出至银行",
    "closed": "已回单",
}


class Payable(Base):
    """Money owed to a payee from a programme-year; ``reference`` is what the bank echoes back."""

    __tablename__ = "grants_payable"
    __table_args__ = (Index("ix_grants_payable_source", "source_kind", "source_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grants_programme.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    payee_name: Mapped[str] = mapped_column(String(200))
    payee_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    payee_account_token: Mapped[str] = mapped_column(String(300))
    payee_account_masked: Mapped[str] = mapped_column(String(40))
    payee_bank: Mapped[str] = mapped_column(String(120))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    source_kind: Mapped[str] = mapped_column(String(40))
    source_ref: Mapped[str] = mapped_column(String(80))
    memo: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(10), default="payable", index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("grants_payment_batch.id"), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    return_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def state_label(self) -> str:
        return PAYABLE_STATES.get(self.state, self.state)


class PaymentBatch(Base):
    __tablename__ = "grants_payment_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    state: Mapped[str] = mapped_column(String(15), default="draft", index=True)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    count: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    first_approver_id: Mapped[int | None] = mapped_column(Integer)
    first_approver: Mapped[str] = mapped_column(String(120), default="")
    second_approver_id: Mapped[int | None] = mapped_column(Integer)
    second_approver: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def state_label(self) -> str:
        return BATCH_STATES.get(self.state, self.state)
