"""Tables of programmes (专项) and windows (申报批次)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

PAYMENT_MODES = {"immediate": "决定后即付", "after_acceptance": "先建后补（验收后支付）"}


class Programme(Base):
    """A programme owned by a department, with its 申报指南 and an optional policy clause."""

    __tablename__ = "grants_programme"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(100))
    guide: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    policy_clause: Mapped[str | None] = mapped_column(String(80))
    payment_mode: Mapped[str] = mapped_column(String(20), default="immediate")
    workflow: Mapped[str] = mapped_column(String(20), default="standard", server_default="standard")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def payment_mode_label(self) -> str:
        return PAYMENT_MODES.get(self.payment_mode, self.payment_mode)


class Window(Base):
    """A 申报批次: open and close instants (UTC stored), its checklist, form fields and SLA as JSON."""

    __tablename__ = "grants_window"
    __table_args__ = (UniqueConstraint("programme_id", "code", name="uq_grants_window_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("grants_programme.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checklist: Mapped[str] = mapped_column(Text, default="[]")
    form_fields: Mapped[str] = mapped_column(Text, default="[]")
    sla: Mapped[str] = mapped_column(Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def state_at(self, now: datetime) -> str:
        """upcoming before ``opens_at``; open from ``opens_at`` up to and including ``closes_at``."""
        if now < self.opens_at:
            return "upcoming"
        return "open" if now <= self.closes_at else "closed"
