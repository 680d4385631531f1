"""Tables of live bidding: the lot's state (one row, locked per bid) and its accepted bids."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.db import Base, UTCDateTime


class Lot(Base):
    """The auction of one listing: its times, current price, leader, sequence and chain head."""

    __tablename__ = "exchange_lot"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), unique=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    free_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deadline: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    leader_reg_id: Mapped[int | None] = mapped_column(Integer)
    leader_no: Mapped[str | None] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    preempt_uses: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    result: Mapped[str | None] = mapped_column(String(10))  # sold | unsold
    settlement: Mapped[str] = mapped_column(String(20), default="none")
    balance_due_on: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivery_note: Mapped[str] = mapped_column(Text, default="")


class LotBid(Base):
    """An accepted bid: sequence, anonymous 竞买号, amount, server time and its chain link."""

    __tablename__ = "exchange_lot_bid"
    __table_args__ = (
        UniqueConstraint("lot_id", "seq", name="uq_exchange_lot_bid_seq"),
        UniqueConstraint("lot_id", "registration_id", "idem_key", name="uq_exchange_lot_bid_idem"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("exchange_lot.id"))  # both unique keys lead with it
    seq: Mapped[int] = mapped_column(Integer)
    registration_id: Mapped[int] = mapped_column(ForeignKey("exchange_registration.id"))
    bidder_no: Mapped[str] = mapped_column(String(12))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    idem_key: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Fingerprint(Base):
    """Where a registration or a bid came from: client IP, a hash of the user agent and the bidding
    room's optional device id (the raw user agent is not kept)."""

    __tablename__ = "exchange_fingerprint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # registration | bid
    ip: Mapped[str] = mapped_column(String(45), default="")
    ua_hash: Mapped[str] = mapped_column(String(64), default="")
    device_id: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
