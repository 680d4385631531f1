"""Tables of the exchange's parties: institutions (交易机构), members (会员) and bidders (竞买人).

An institution is a tenant: listings, operators (users whose ``org_uscc`` is the institution's
USCC) and members belong to one. A bidder is one identity that bids at any institution.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Institution(Base):
    """A 交易机构; ``code`` prefixes its listing numbers and virtual accounts."""

    __tablename__ = "exchange_institution"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    region: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Member(Base):
    """A 会员/经纪机构 of an institution, acting for clients; a suspended (暂停) member acts for none."""

    __tablename__ = "exchange_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18))
    status: Mapped[str] = mapped_column(String(12), default="active", server_default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Bidder(Base):
    """A 竞买人: an organisation by USCC or a natural person; one identity for every institution.

    ``virtual_account`` is the sub-account number the bidder transfers deposits to;
    ``user_id`` is the login that acts for the bidder.
    """

    __tablename__ = "exchange_bidder"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # org | person
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    id_token: Mapped[str | None] = mapped_column(String(300))
    id_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str | None] = mapped_column(String(30))
    virtual_account: Mapped[str] = mapped_column(String(30), unique=True)
    user_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MemberOperator(Base):
    """A login that acts for a member (会员/经纪机构): it registers and bids for the member's clients."""

    __tablename__ = "exchange_member_operator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("exchange_member.id"), index=True)
    user_id: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Mandate(Base):
    """A client's authorisation (委托书) of a member: the document (kept by its SHA-256 in the file
    store) and the dates it is valid; a member acts for a client only inside them, and never once
    the mandate is revoked (``revoked_at``, by whom and why)."""

    __tablename__ = "exchange_mandate"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("exchange_member.id"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    doc_name: Mapped[str] = mapped_column(String(200))
    doc_sha256: Mapped[str] = mapped_column(String(64))
    doc_size: Mapped[int] = mapped_column(Integer)
    doc_type: Mapped[str] = mapped_column(String(60))
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by: Mapped[str | None] = mapped_column(String(120))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
