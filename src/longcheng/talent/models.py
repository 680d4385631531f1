"""Tables of the talent module: people, their data sources, monthly runs and payment lines.

Personal numbers are never stored in clear: a resident ID or a bank account is kept as a vault
token (AES-GCM, ``core.pii.vault``), a keyed blind index (HMAC) for exact search and a masked
form for lists (``3204**********123X``). The birth date and sex are derived from the ID.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Person(Base):
    """A young talent (青年人才): who they are, where they work, and where to pay them."""

    __tablename__ = "talent_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    id_token: Mapped[str] = mapped_column(Text)
    id_index: Mapped[str] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(2))
    degree: Mapped[str] = mapped_column(String(12))  # associate | bachelor | master | doctor
    school: Mapped[str] = mapped_column(String(120), default="")
    graduation_date: Mapped[date] = mapped_column(Date)
    employer_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    employer_name: Mapped[str] = mapped_column(String(200), default="")
    district: Mapped[str | None] = mapped_column(String(20))  # the employer's district code
    industry: Mapped[str] = mapped_column(String(80), default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    left_date: Mapped[date | None] = mapped_column(Date)
    si_months: Mapped[int] = mapped_column(Integer, default=0)
    housing: Mapped[str] = mapped_column(String(12), default="unknown")  # none | rented | owned
    bank_token: Mapped[str | None] = mapped_column(Text)
    bank_masked: Mapped[str] = mapped_column(String(40), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), unique=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def scope_uscc(self) -> str | None:
        return self.employer_uscc

    @property
    def scope_district(self) -> str | None:
        return self.district


class PiiGrant(Base):
    """An officer allowed to read unmasked numbers (``talent:pii``), granted by an admin."""

    __tablename__ = "talent_pii_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), unique=True)
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Correction(Base):
    """A person's request to correct their record (待处理 → 已处理 / 已驳回)."""

    __tablename__ = "talent_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    requested: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="pending")
    answer: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SocialInsurance(Base):
    """One month of social insurance paid in the city for a person (人社 data), by one employer."""

    __tablename__ = "talent_social_insurance"
    __table_args__ = (UniqueConstraint("person_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id"))
    month: Mapped[str] = mapped_column(String(7))
    employer_uscc: Mapped[str] = mapped_column(String(18))
    paid: Mapped[bool] = mapped_column(Boolean, default=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("talent_source_imports.id"))


class Employment(Base):
    """An employer declaration (用人单位申报): the firm says the person works there since a date."""

    __tablename__ = "talent_employments"
    __table_args__ = (UniqueConstraint("person_id", "employer_uscc", "start_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id"), index=True)
    employer_uscc: Mapped[str] = mapped_column(String(18), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | confirmed
    confirmed_by: Mapped[str] = mapped_column(String(120), default="")
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def scope_uscc(self) -> str | None:
        return self.employer_uscc

    @property
    def scope_district(self) -> str | None:
        return None


class SourceImport(Base):
    """One import of a data source (人社社保 / 学历 / 用人单位申报): the freshness page reads these."""

    __tablename__ = "talent_source_imports"
    __table_args__ = (Index("ix_talent_source_imports_source_id", "source", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))  # social_insurance | degree | employer
    filename: Mapped[str] = mapped_column(String(200), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    covers_month: Mapped[str] = mapped_column(String(7))  # the latest month the data describes
    summary: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Run(Base):
    """One monthly 直兑 run: every person evaluated for a month, compared with the previous run."""

    __tablename__ = "talent_runs"
    __table_args__ = (Index("ix_talent_runs_month_id", "month", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    key: Mapped[str] = mapped_column(String(80), unique=True)
    population: Mapped[int] = mapped_column(Integer, default=0)
    qualifying: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("talent_runs.id"))
    new_count: Mapped[int] = mapped_column(Integer, default=0)
    stopped_count: Mapped[int] = mapped_column(Integer, default=0)
    changed_count: Mapped[int] = mapped_column(Integer, default=0)
    notified: Mapped[int] = mapped_column(Integer, default=0)
    payment_lines: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(120))
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Result(Base):
    """One person in one run: the inputs the clause read, the outcome, and the reason code."""

    __tablename__ = "talent_results"
    __table_args__ = (UniqueConstraint("run_id", "person_id"), Index("ix_talent_results_person", "person_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("talent_runs.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id"))
    degree: Mapped[str] = mapped_column(String(12))
    age: Mapped[int] = mapped_column(Integer)
    months_in_city: Mapped[int] = mapped_column(Integer)
    si_paid: Mapped[bool] = mapped_column(Boolean)
    qualifies: Mapped[bool] = mapped_column(Boolean)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    reason: Mapped[str] = mapped_column(String(60))  # engine code, or a talent code (left_employer)
    change: Mapped[str] = mapped_column(String(10), default="")  # new | stopped | changed | ""


class Payment(Base):
    """A payment line (支付明细): a month's subsidy or arrears (补发) for a confirmed person."""

    __tablename__ = "talent_payments"
    __table_args__ = (Index("ix_talent_payments_person_month", "person_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id"))
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(10))  # monthly | arrears
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    key: Mapped[str] = mapped_column(String(80), unique=True)  # idempotency: person + month (+ n)
    run_id: Mapped[int] = mapped_column(ForeignKey("talent_runs.id"))
    status: Mapped[str] = mapped_column(String(20), default="待支付")
    payable_ref: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Recovery(Base):
    """An overpayment (多发) found by a later run for a paid month: recorded, then recovered."""

    __tablename__ = "talent_recoveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("talent_people.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    reason: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int] = mapped_column(ForeignKey("talent_runs.id"))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | recovered
    recovered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
