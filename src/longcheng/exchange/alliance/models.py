"""Tables of the alliance: rulebook versions, member overrides and institution profiles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class RuleVersion(Base):
    """A dated version of the alliance rulebook: proposed, then approved or rejected by another person.

    ``rules`` is ``{"defaults": {...}, "classes": {code: {...}}}``; ``diff`` the Chinese lines
    against the version in force when it was proposed.
    """

    __tablename__ = "exchange_rule_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    diff: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="proposed")  # proposed|approved|rejected
    proposed_by: Mapped[str] = mapped_column(String(120))
    proposed_by_id: Mapped[int | None] = mapped_column(Integer)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str] = mapped_column(Text, default="")


class RuleOverride(Base):
    """A member institution's own value of one overridable rule; ``asset_class`` "" = every class."""

    __tablename__ = "exchange_rule_override"
    __table_args__ = (
        UniqueConstraint("institution_id", "asset_class", "key", name="uq_exchange_rule_override"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    asset_class: Mapped[str] = mapped_column(String(20), default="")
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[Any] = mapped_column(JSON)
    set_by: Mapped[str] = mapped_column(String(120))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class InstitutionProfile(Base):
    """A member institution's portal branding (title, colour, contact, short intro) and settlement
    account; the branding heads the alliance portal reached through this member."""

    __tablename__ = "exchange_institution_profile"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), unique=True)
    portal_title: Mapped[str] = mapped_column(String(120), default="")
    brand_color: Mapped[str] = mapped_column(String(7), default="#1f4e79")
    bank_name: Mapped[str] = mapped_column(String(120), default="")
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(String(500), default="")
    updated_by: Mapped[str] = mapped_column(String(120), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FeeCharge(Base):
    """The 佣金 charged on one 成交 lot and its split: the listing institution's part and the part
    of the institution whose member brought the buyer; ``entry_id`` is the ledger entry."""

    __tablename__ = "exchange_fee_charge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("exchange_listing.id"), unique=True)
    listing_code: Mapped[str] = mapped_column(String(30), index=True)
    listing_title: Mapped[str] = mapped_column(String(200))
    buyer_name: Mapped[str] = mapped_column(String(200))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    commission_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    listing_institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    listing_share_fen: Mapped[int] = mapped_column(BigInteger)
    buyer_institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    buyer_share_fen: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[int | None] = mapped_column(Integer)
    charged_by: Mapped[str] = mapped_column(String(120))
    charged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
