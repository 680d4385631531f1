"""The capability table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

KINDS = {
    "result": "科技成果",
    "patent": "专利",
    "platform": "平台",
    "equipment": "仪器设备",
    "expert": "专家团队",
}


class Capability(Base):
    """A capability offered by an organisation (by USCC); one title per organisation."""

    __tablename__ = "matching_capability"
    __table_args__ = (UniqueConstraint("org_uscc", "title"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    field: Mapped[str] = mapped_column(String(40), default="")
    trl: Mapped[int | None] = mapped_column(Integer)
    keywords: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    org_uscc: Mapped[str] = mapped_column(String(18), index=True)
    org_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
