"""Tables of the exchange's parties: institutions (交易机构), members (会员) and bidders (竞买人).

An institution is a tenant: listings, operators (users whose ``org_uscc`` is the institution's
USCC) and members belong to one. A bidder is one identity that bids at any institution.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
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
    """A 会员/经纪机构 of an institution, acting for clients."""

    __tablename__ = "exchange_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18))
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
