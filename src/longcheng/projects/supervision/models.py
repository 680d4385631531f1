"""Tables of 督办: supervision orders (督办单), the replies to them, and the files attached.

Files are stored once by their SHA-256 (:class:`StoredFile`) and never overwritten; a reply
names them as the uploader did (:class:`ReplyAttachment`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class SupervisionOrder(Base):
    """A 督办单: what is demanded of a project and by when (working days), and when it was answered."""

    __tablename__ = "projects_supervision_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects_project.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    demand: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[date] = mapped_column(Date)
    reply_working_days: Mapped[int] = mapped_column(Integer)
    reply_due: Mapped[date] = mapped_column(Date)
    replied_on: Mapped[date | None] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(120))
    issued_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    replies: Mapped[list[SupervisionReply]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="SupervisionReply.id"
    )

    @property
    def late(self) -> bool:
        return self.replied_on is not None and self.replied_on > self.reply_due


class SupervisionReply(Base):
    """The responsible unit's answer to a 督办单, with its files; ``late`` after the deadline."""

    __tablename__ = "projects_supervision_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("projects_supervision_order.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    replied_on: Mapped[date] = mapped_column(Date)
    replied_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    order: Mapped[SupervisionOrder] = relationship(back_populates="replies")
    attachments: Mapped[list[ReplyAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="ReplyAttachment.id"
    )


class StoredFile(Base):
    """A file stored once by its SHA-256 under ``data_dir/files``; the bytes are never overwritten."""

    __tablename__ = "projects_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReplyAttachment(Base):
    """A file attached to a reply, under the name the uploader gave it."""

    __tablename__ = "projects_reply_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[int] = mapped_column(
        ForeignKey("projects_supervision_reply.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("projects_file.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    file: Mapped[StoredFile] = relationship(lazy="joined")
