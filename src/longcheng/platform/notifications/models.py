"""Tables of the notification centre: one message per recipient, and each user's e-mail preference."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class EmailMode(StrEnum):
    immediate = "immediate"  # 即时发送
    digest = "digest"  # 每周摘要
    off = "off"  # 不发邮件

    @property
    def label(self) -> str:
        return {"immediate": "每条消息即时发送", "digest": "每周一封摘要", "off": "不发邮件"}[self.value]


class EmailState(StrEnum):
    none = "none"  # no e-mail for this message (no address, mode off)
    pending = "pending"  # waiting for send_email (or its retry)
    digest = "digest"  # waiting for the next digest
    sent = "sent"
    failed = "failed"  # gave up after SMTP_MAX_ATTEMPTS

    @property
    def label(self) -> str:
        labels = {
            "none": "不发邮件",
            "pending": "待发送",
            "digest": "待摘要",
            "sent": "已发送",
            "failed": "发送失败",
        }
        return labels[self.value]


class Notification(Base):
    """A message to one user; ``dedupe_key`` makes a module's notice idempotent per recipient."""

    __tablename__ = "platform_notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key", name="uq_platform_notifications_user_dedupe"),
        Index("ix_platform_notifications_inbox", "user_id", "read_at", "id"),
        Index("ix_platform_notifications_email", "email_state", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    source_module: Mapped[str] = mapped_column(String(40))
    source_type: Mapped[str] = mapped_column(String(60), default="")
    source_id: Mapped[str] = mapped_column(String(80), default="")
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_state: Mapped[str] = mapped_column(String(20), default=EmailState.none.value)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_error: Mapped[str] = mapped_column(Text, default="")
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationPref(Base):
    """A user's e-mail address for notices and how they want them (default: see ``service.mode_of``)."""

    __tablename__ = "platform_notification_prefs"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True)
    email: Mapped[str] = mapped_column(String(200), default="")
    email_mode: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
