"""Tables of the expert pool (专家库) and of expert review: draws, assignments, declarations, scores.

Review rows carry a generic ``context`` (e.g. ``grants:window:12``) and ``ref`` (the item under
review, e.g. an application number), so any module can use the pool through ``service``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

STATUS_LABELS = {"active": "在库可用", "away": "暂不可用"}


class Expert(Base):
    """An expert: employer by USCC, fields of expertise (codes, space-delimited), availability.

    The resident ID is kept only encrypted (``id_token``, core.pii vault), masked for display,
    and as the person blind index shared with the registry's people (for COI checks)."""

    __tablename__ = "experts_expert"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    title: Mapped[str] = mapped_column(String(60), default="")
    employer_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    employer_name: Mapped[str] = mapped_column(String(200), default="")
    fields_text: Mapped[str] = mapped_column(String(300), default=" ")
    id_token: Mapped[str | None] = mapped_column(String(300))
    id_masked: Mapped[str] = mapped_column(String(20), default="")
    person_index: Mapped[str | None] = mapped_column(String(64), index=True)
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("experts_expert.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    former_employers: Mapped[list[FormerEmployer]] = relationship(
        cascade="all, delete-orphan", order_by="FormerEmployer.id", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def fields(self) -> list[str]:
        return self.fields_text.split()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


class FormerEmployer(Base):
    """A former employer and the day the expert left (None when not known)."""

    __tablename__ = "experts_former_employer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts_expert.id", ondelete="CASCADE"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    ended_on: Mapped[date | None] = mapped_column(Date)


class ExpertDraw(Base):
    """One recorded random draw: who asked, for which context, with which seed."""

    __tablename__ = "experts_draw"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    context: Mapped[str] = mapped_column(String(80), index=True)
    seed: Mapped[int] = mapped_column(Integer)
    per_item: Mapped[int] = mapped_column(Integer)
    items: Mapped[int] = mapped_column(Integer)
    short: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(Base):
    """An expert assigned to review ``ref`` in ``context``; ``state``: assigned, recused, replaced."""

    __tablename__ = "experts_assignment"
    __table_args__ = (
        UniqueConstraint("context", "ref", "expert_id", name="uq_experts_assignment"),
        Index("ix_experts_assignment_expert", "expert_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draw_id: Mapped[int | None] = mapped_column(ForeignKey("experts_draw.id", ondelete="SET NULL"))
    context: Mapped[str] = mapped_column(String(80))
    ref: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(30), default="")
    applicant_uscc: Mapped[str] = mapped_column(String(18), default="")
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts_expert.id", ondelete="CASCADE"))
    in_field: Mapped[bool] = mapped_column(Boolean, default=True)
    state: Mapped[str] = mapped_column(String(10), default="assigned")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Declaration(Base):
    """The expert's signed COI declaration for one item, before the file is shown."""

    __tablename__ = "experts_declaration"
    __table_args__ = (UniqueConstraint("context", "ref", "expert_id", name="uq_experts_declaration"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    context: Mapped[str] = mapped_column(String(80))
    ref: Mapped[str] = mapped_column(String(80))
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts_expert.id", ondelete="CASCADE"))
    has_conflict: Mapped[bool] = mapped_column(Boolean)
    statement: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Score(Base):
    """An expert's scores on a rubric (JSON ``{criterion: points}``) and their weighted total."""

    __tablename__ = "experts_score"
    __table_args__ = (UniqueConstraint("context", "ref", "expert_id", name="uq_experts_score"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    context: Mapped[str] = mapped_column(String(80), index=True)
    ref: Mapped[str] = mapped_column(String(80))
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts_expert.id", ondelete="CASCADE"))
    rubric: Mapped[str] = mapped_column(String(30))
    scores: Mapped[str] = mapped_column(Text)
    total: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
