"""The structured feedback a solver that was not selected receives."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Feedback(Base):
    """Mean score per rubric criterion (JSON ``{criterion label: mean}``), the total and a comment."""

    __tablename__ = "matching_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("matching_proposal.id", ondelete="CASCADE"), unique=True
    )
    criteria: Mapped[str] = mapped_column(Text)
    total: Mapped[str] = mapped_column(String(20))
    reviewers: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
