"""Objections (异议) lodged against an application during its 公示."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Objection(Base):
    __tablename__ = "grants_objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("grants_application.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(60))
    contact: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replied_by: Mapped[str] = mapped_column(String(120), default="")
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
