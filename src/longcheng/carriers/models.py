"""Tables of carriers (载体): sites and spaces offered to investors, their vacancy over time,
and investor leads (招商线索) owned by an officer."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class CarrierKind(StrEnum):
    """The six kinds of carrier."""

    maker_space = "maker_space"
    incubator = "incubator"
    accelerator = "accelerator"
    park_building = "park_building"
    factory = "factory"
    land = "land"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.value]


KIND_LABELS = {
    "maker_space": "众创空间",
    "incubator": "孵化器",
    "accelerator": "加速器",
    "park_building": "产业园/楼宇",
    "factory": "标准厂房",
    "land": "地块",
}
LAND_USES = {"industrial": "工业", "rnd": "研发", "commercial": "商业"}
STATUSES = {"available": "可招商", "reserved": "已预留", "occupied": "已满租/已出让"}


class Carrier(Base):
    """A carrier. Areas in m² (a land parcel also in 亩), money in fen (rent per m² per month,
    or a parcel's listing price), power in kVA, floor load in kN/m², clear height in m."""

    __tablename__ = "carriers_carrier"
    # Only selective columns are indexed: on SQLite an index on a column most rows share
    # (status, available area) makes the planner look up nearly every row one by one.
    __table_args__ = (Index("ix_carriers_carrier_kind_district", "kind", "district"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(40), index=True)
    park: Mapped[str | None] = mapped_column(String(40), index=True)
    operator: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    industries: Mapped[str] = mapped_column(String(300), default="")
    total_area_m2: Mapped[int] = mapped_column(Integer)
    available_area_m2: Mapped[int] = mapped_column(Integer)
    land_mu: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    land_use: Mapped[str | None] = mapped_column(String(20))
    plot_ratio: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    rent_fen_per_m2_month: Mapped[int | None] = mapped_column(BigInteger)
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    power_kva: Mapped[int | None] = mapped_column(Integer)
    floor_load_kn_m2: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    clear_height_m: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    status: Mapped[str] = mapped_column(String(20), default="available")
    description: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    lon: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VacancyPoint(Base):
    """The carrier's available area on a day (one row per change), for the vacancy chart."""

    __tablename__ = "carriers_vacancy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers_carrier.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    available_area_m2: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(200), default="")


class Lead(Base):
    """An investor lead: who, which industry, what they need; converted once into a project."""

    __tablename__ = "carriers_lead"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    investor: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(100), default="")
    district: Mapped[str] = mapped_column(String(40))
    need_kind: Mapped[str] = mapped_column(String(20))  # "land" or "building"
    need_area_m2: Mapped[int] = mapped_column(Integer)
    need_land_use: Mapped[str | None] = mapped_column(String(20))
    need_power_kva: Mapped[int] = mapped_column(Integer, default=0)
    budget_fen: Mapped[int | None] = mapped_column(BigInteger)
    timeline: Mapped[str] = mapped_column(String(100), default="")
    jobs: Mapped[int | None] = mapped_column(Integer)
    owner_id: Mapped[int | None] = mapped_column(Integer, index=True)
    owner_label: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default="open")
    carrier_id: Mapped[int | None] = mapped_column(ForeignKey("carriers_carrier.id"))
    project_code: Mapped[str | None] = mapped_column(String(40))
    lat: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    lon: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


LEAD_STATUSES = {"open": "跟进中", "converted": "已转为项目", "dropped": "已放弃"}
NEED_KINDS = {"building": "厂房/楼宇", "land": "土地"}


class Photo(Base):
    """A photo of a carrier, its bytes kept once under their SHA-256 in the project's file store."""

    __tablename__ = "carriers_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers_carrier.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(200), default="")
    uploaded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
