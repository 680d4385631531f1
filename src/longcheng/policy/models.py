"""Tables of the policy module: batch runs, their qualifying sets, push notifications,
policy-owned inputs and 免申即享 decisions.

The rules themselves are not in the database: they are the pack folders (``packs/``), versioned
with the code. A run records which pack and period it evaluated; each qualifying row keeps a
snapshot of the firm's name and district (what the officer saw when the list was made) and the
values the clause read (``basis``), so that the next run can say *why* an amount changed.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Run(Base):
    """One evaluation of a pack for a period over a population (精准推送 compares runs)."""

    __tablename__ = "policy_run"
    __table_args__ = (Index("ix_policy_run_pack_period", "pack_id", "period", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(7))
    entity: Mapped[str] = mapped_column(String(20), default="enterprise")
    source: Mapped[str] = mapped_column(String(20))  # registry | file
    source_label: Mapped[str] = mapped_column(String(200), default="")
    readings: Mapped[str] = mapped_column(Text, default="{}")  # JSON {clause: reading}
    summary: Mapped[str] = mapped_column(Text, default="[]")  # JSON, per clause
    skipped: Mapped[str] = mapped_column(Text, default="{}")  # JSON {clause: why}
    population: Mapped[int] = mapped_column(Integer, default=0)
    qualifying: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("policy_run.id"))
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    dropped_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    notified: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def summary_data(self) -> list[dict[str, object]]:
        data: list[dict[str, object]] = json.loads(self.summary)
        return data

    @property
    def readings_data(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.readings)
        return data

    @property
    def skipped_data(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.skipped)
        return data


class Result(Base):
    """One qualifying (firm, clause) pair of a run with its exact amount in fen."""

    __tablename__ = "policy_result"
    __table_args__ = (
        Index("ix_policy_result_clause", "run_id", "clause_id", "district", "amount_fen"),
        Index("ix_policy_result_uscc", "run_id", "uscc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("policy_run.id", ondelete="CASCADE"))
    uscc: Mapped[str] = mapped_column(String(40))
    org_name: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str | None] = mapped_column(String(30))
    clause_id: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    reading: Mapped[str] = mapped_column(String(40), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")
    basis: Mapped[str] = mapped_column(Text, default="{}")  # JSON {variable: shown value}

    @property
    def scope_uscc(self) -> str | None:
        return self.uscc

    @property
    def scope_district(self) -> str | None:
        return self.district

    @property
    def basis_data(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.basis)
        return data


class Notification(Base):
    """A line of a run's push list (new / dropped / changed) and the firm's inbox message."""

    __tablename__ = "policy_notification"
    __table_args__ = (
        Index("ix_policy_notification_run", "run_id", "kind", "district"),
        Index("ix_policy_notification_inbox", "uscc", "pushed", "read_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("policy_run.id", ondelete="CASCADE"))
    uscc: Mapped[str] = mapped_column(String(40))
    org_name: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str | None] = mapped_column(String(30))
    clause_id: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))  # new | dropped | changed
    amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    previous_amount_fen: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text, default="")
    pushed: Mapped[bool] = mapped_column(Boolean, default=True)  # shown in the firm's inbox
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_uscc(self) -> str | None:
        return self.uscc

    @property
    def scope_district(self) -> str | None:
        return self.district


class InputRecord(Base):
    """A policy input the registry does not hold (grants received, prior rewards), per year.

    Values are engine-native: money in fen, booleans as 0/1. A firm with no record for a
    variable is read as 0 / 否 (the issuing department records every grant it knows of).
    """

    __tablename__ = "policy_input"
    __table_args__ = (UniqueConstraint("uscc", "year", "name", name="uq_policy_input_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(60))
    value: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str | None] = mapped_column(String(30))
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Award(Base):
    """An officer's 免申即享 decision on one firm's amount under one clause for one year."""

    __tablename__ = "policy_award"
    __table_args__ = (UniqueConstraint("pack_id", "period", "clause_id", "uscc", name="uq_policy_award_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(7))
    clause_id: Mapped[str] = mapped_column(String(80))
    uscc: Mapped[str] = mapped_column(String(40))
    org_name: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str | None] = mapped_column(String(30))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    run_id: Mapped[int] = mapped_column(ForeignKey("policy_run.id"))
    status: Mapped[str] = mapped_column(String(12))  # confirmed | withheld
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def scope_uscc(self) -> str | None:
        return self.uscc

    @property
    def scope_district(self) -> str | None:
        return self.district

    def audit_view(self) -> dict[str, object]:
        return {
            "clause": self.clause_id,
            "period": self.period,
            "amount_fen": self.amount_fen,
            "status": self.status,
            "note": self.note,
            "run_id": self.run_id,
        }
