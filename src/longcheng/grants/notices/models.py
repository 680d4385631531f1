"""Firms' subscriptions to programmes, for the window reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Subscription(Base):
    """A firm (by USCC) follows a programme: its enterprise users hear when a window opens soon
    and when one closes soon (申报窗口将于3天后开放 / 截止前3天)."""

    __tablename__ = "grants_subscription"
    __table_args__ = (UniqueConstraint("programme_id", "uscc", name="uq_grants_subscription_once"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("grants_programme.id", ondelete="CASCADE"), index=True
    )
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
