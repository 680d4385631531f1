"""Tables of listings (挂牌项目), registrations (报名) and the public change feed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Listing(Base):
    """One attempt to sell an asset; a relisting is a new row pointing at the one before."""

    __tablename__ = "exchange_listing"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    asset_class: Mapped[str] = mapped_column(String(20), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(60), default="")
    seller_name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    appraisal_fen: Mapped[int] = mapped_column(BigInteger)
    start_fen: Mapped[int] = mapped_column(BigInteger, index=True)
    step_fen: Mapped[int] = mapped_column(BigInteger)
    reserve_fen: Mapped[int | None] = mapped_column(BigInteger)
    deposit_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    rules_version: Mapped[str] = mapped_column(String(20))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), index=True, default="draft")
    disclosure_start: Mapped[date | None] = mapped_column(Date)
    disclosure_end: Mapped[date | None] = mapped_column(Date)
    disclosure_note: Mapped[str] = mapped_column(String(200), default="")
    auction_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status_reason: Mapped[str] = mapped_column(Text, default="")
    relisted_from_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_listing.id"))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class Registration(Base):
    """A bidder's 报名 for a listing: qualification, the anonymous 竞买号 and the deposit's state."""

    __tablename__ = "exchange_registration"
    __table_args__ = (
        UniqueConstraint("listing_id", "bidder_id", name="uq_exchange_registration_bidder"),
        UniqueConstraint("listing_id", "bidder_no", name="uq_exchange_registration_no"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_member.id"))
    bidder_no: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending|qualified|rejected
    preemptor: Mapped[bool] = mapped_column(Boolean, default=False)
    conditions_accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    deposit: Mapped[str] = mapped_column(
        String(20), default="none"
    )  # none|frozen|released|converted|forfeited
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FeedEvent(Base):
    """One public change (new listing, status change, result); ``id`` is the feed's cursor."""

    __tablename__ = "exchange_feed_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    listing_code: Mapped[str] = mapped_column(String(30), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FeedHead(Base):
    """One row, updated before each feed insert so feed ids commit in the order they were taken."""

    __tablename__ = "exchange_feed_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigInteger, default=0)
