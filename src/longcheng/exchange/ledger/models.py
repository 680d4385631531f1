"""Tables of the deposit ledger: accounts with cached balances, entries, postings, bank lines, refunds."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class LedgerAccount(Base):
    """An account by code (``bank``, ``bidder:7:available`` …) with its balance as people read it."""

    __tablename__ = "exchange_ledger_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class LedgerEntry(Base):
    """One balanced operation (receive, freeze, release, convert, forfeit, refund …)."""

    __tablename__ = "exchange_ledger_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    ref: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))


class LedgerPosting(Base):
    __tablename__ = "exchange_ledger_posting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("exchange_ledger_entry.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("exchange_ledger_account.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class BankLine(Base):
    """A line of an imported bank statement and what became of it (matched, held, unknown)."""

    __tablename__ = "exchange_bank_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bank_ref: Mapped[str] = mapped_column(String(60), unique=True)
    virtual_account: Mapped[str] = mapped_column(String(30), index=True)
    payer_name: Mapped[str] = mapped_column(String(120))
    payer_account: Mapped[str] = mapped_column(String(40))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(20))  # matched | held | unknown | released
    bidder_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    note: Mapped[str] = mapped_column(String(200), default="")


class Refund(Base):
    """Money going back to a bidder by the original route, due within N working days."""

    __tablename__ = "exchange_refund"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    to_name: Mapped[str] = mapped_column(String(120))
    to_account: Mapped[str] = mapped_column(String(40))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | paid
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
