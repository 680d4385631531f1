"""Carriers: create with each kind's rules, update availability (vacancy over time), search.

Bad figures are refused with their own codes: a negative area (``carriers.area_negative``),
a 容积率 outside 0.1–15 (``carriers.plot_ratio_out_of_range``), available above total
(``carriers.available_above_total``), a land parcel without 亩 or use (``carriers.land_incomplete``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from longcheng.carriers import permissions as perm
from longcheng.carriers.models import Carrier, CarrierKind, VacancyPoint
from longcheng.carriers.schemas import CarrierIn
from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import NotFound, ValidationFailed
from longcheng.core.paging import Page, paginate

ENTITY = "carriers.carrier"
M2_PER_MU = Decimal("666.67")
PLOT_RATIO_MIN, PLOT_RATIO_MAX = Decimal("0.1"), Decimal("15")
COUNT_CAP = 1000  # the portal says "1000 处以上" beyond this


class CarrierNotFound(NotFound):
    code = "carriers.not_found"
    message = "未找到该载体。"


def _refuse(code: str, field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={field: message})


def _check_numbers(data: CarrierIn) -> None:
    for field in ("total_area_m2", "available_area_m2", "land_mu", "rent_yuan", "price_wan"):
        value = getattr(data, field)
        if value is not None and value < 0:
            raise _refuse("carriers.area_negative", field, "面积和价格不能为负数。")
    if data.plot_ratio is not None and not PLOT_RATIO_MIN <= data.plot_ratio <= PLOT_RATIO_MAX:
        raise _refuse(
            "carriers.plot_ratio_out_of_range",
            "plot_ratio",
            f"容积率须在 0.1–15 之间，收到 {data.plot_ratio}。",
        )
    if data.clear_height_m is not None and not Decimal(0) < data.clear_height_m <= 60:
        raise _refuse("carriers.invalid", "clear_height_m", "净高须在 0–60 米之间。")
    if data.floor_load_kn_m2 is not None and not Decimal(0) < data.floor_load_kn_m2 <= 200:
        raise _refuse("carriers.invalid", "floor_load_kn_m2", "楼面荷载须在 0–200 千牛/平方米之间。")


def _areas(data: CarrierIn) -> tuple[int, int]:
    if data.kind is CarrierKind.land:
        if data.land_mu is None or data.land_mu == 0 or data.land_use is None:
            raise _refuse("carriers.land_incomplete", "land_mu", "地块须填写面积（亩）和用地性质。")
        total = int(data.land_mu * M2_PER_MU)
    elif not data.total_area_m2:
        raise _refuse("carriers.invalid", "total_area_m2", "请填写总面积（平方米）。")
    else:
        total = data.total_area_m2
    available = total if data.available_area_m2 is None else data.available_area_m2
    if available > total:
        raise _refuse("carriers.available_above_total", "available_area_m2", "可租售面积不能大于总面积。")
    return total, available


def _next_code(session: Session) -> str:
    n = (session.scalar(select(func.max(Carrier.id))) or 0) + 1
    return f"ZT{n:06d}"


def _columns(data: CarrierIn, total: int, available: int) -> dict[str, Any]:
    """The table's columns from the input (money to fen, land use only for a parcel)."""
    return {
        "name": data.name,
        "kind": data.kind.value,
        "district": data.district,
        "park": data.park,
        "operator": data.operator,
        "address": data.address,
        "industries": data.industries,
        "total_area_m2": total,
        "available_area_m2": available,
        "land_mu": data.land_mu,
        "land_use": data.land_use if data.kind is CarrierKind.land else None,
        "plot_ratio": data.plot_ratio,
        "rent_fen_per_m2_month": None if data.rent_yuan is None else int(data.rent_yuan * 100),
        "price_fen": None if data.price_wan is None else int(data.price_wan * 1_000_000),
        "power_kva": data.power_kva,
        "floor_load_kn_m2": data.floor_load_kn_m2,
        "clear_height_m": data.clear_height_m,
        "status": data.status,
        "description": data.description,
        "lat": data.lat,
        "lon": data.lon,
    }


def create(session: Session, *, actor: Actor, data: CarrierIn) -> Carrier:
    """Register a carrier (officers and admins)."""
    require(actor, perm.CARRIER_EDIT)
    _check_numbers(data)
    total, available = _areas(data)
    carrier = Carrier(code=_next_code(session), **_columns(data, total, available))
    session.add(carrier)
    session.flush()
    session.add(
        VacancyPoint(carrier_id=carrier.id, on=local_today(), available_area_m2=available, note="登记")
    )
    audit.record(
        session,
        actor=actor,
        action="carriers.carrier.create",
        entity_type=ENTITY,
        entity_id=carrier.code,
        after={
            "name": data.name,
            "kind": data.kind.value,
            "total_area_m2": total,
            "available_area_m2": available,
        },
    )
    return carrier


AUDITED = (
    "name",
    "kind",
    "district",
    "park",
    "total_area_m2",
    "available_area_m2",
    "land_mu",
    "land_use",
    "plot_ratio",
    "rent_fen_per_m2_month",
    "price_fen",
    "power_kva",
    "status",
)


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Decimal) else value


def update(session: Session, *, actor: Actor, code: str, data: CarrierIn) -> Carrier:
    """Change a carrier with the same checks as registering it; a new available area is also
    kept as a vacancy point."""
    require(actor, perm.CARRIER_EDIT)
    _check_numbers(data)
    total, available = _areas(data)
    carrier = session.scalar(select(Carrier).where(Carrier.code == code).with_for_update())
    if carrier is None:
        raise CarrierNotFound()
    columns = _columns(data, total, available)
    before = {k: _plain(getattr(carrier, k)) for k in AUDITED}
    for key, value in columns.items():
        setattr(carrier, key, value)
    carrier.updated_at = utcnow()
    if before["available_area_m2"] != available:
        session.add(
            VacancyPoint(
                carrier_id=carrier.id, on=local_today(), available_area_m2=available, note="信息修改"
            )
        )
    session.flush()
    after = {k: _plain(getattr(carrier, k)) for k in AUDITED}
    changed = [k for k in AUDITED if before[k] != after[k]]
    audit.record(
        session,
        actor=actor,
        action="carriers.carrier.update",
        entity_type=ENTITY,
        entity_id=code,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return carrier


def get(session: Session, *, code: str) -> Carrier:
    """A carrier by code (public)."""
    carrier = session.scalar(select(Carrier).where(Carrier.code == code))
    if carrier is None:
        raise CarrierNotFound()
    return carrier


def set_available(session: Session, *, actor: Actor, code: str, area: int, note: str = "") -> Carrier:
    """Record a new available area (a firm moved in or out); kept as a vacancy point."""
    require(actor, perm.CARRIER_EDIT)
    carrier = session.scalar(select(Carrier).where(Carrier.code == code).with_for_update())
    if carrier is None:
        raise CarrierNotFound()
    if area > carrier.total_area_m2:
        raise _refuse("carriers.available_above_total", "available_area_m2", "可租售面积不能大于总面积。")
    before = carrier.available_area_m2
    carrier.available_area_m2 = area
    carrier.status = "occupied" if area == 0 else "available"
    carrier.updated_at = utcnow()
    session.add(VacancyPoint(carrier_id=carrier.id, on=local_today(), available_area_m2=area, note=note))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="carriers.carrier.availability",
        entity_type=ENTITY,
        entity_id=code,
        before={"available_area_m2": before},
        after={"available_area_m2": area},
        reason=note,
    )
    return carrier


def vacancy(session: Session, *, carrier: Carrier) -> list[VacancyPoint]:
    """The carrier's available area over time, oldest first."""
    return list(
        session.scalars(
            select(VacancyPoint).where(VacancyPoint.carrier_id == carrier.id).order_by(VacancyPoint.id)
        )
    )


@dataclass(frozen=True)
class Filters:
    """Portal filters (all optional)."""

    q: str = ""
    kind: str = ""
    district: str = ""
    park: str = ""
    min_area: int | None = None
    max_rent_yuan: Decimal | None = None
    min_power: int | None = None
    available_only: bool = True
    status: str = ""


def _conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if filters.q:
        like = f"%{filters.q}%"
        conds.append(Carrier.name.like(like) | Carrier.industries.like(like) | Carrier.address.like(like))
    for column, value in (
        (Carrier.kind, filters.kind),
        (Carrier.district, filters.district),
        (Carrier.park, filters.park),
        (Carrier.status, filters.status),
    ):
        if value:
            conds.append(column == value)
    if filters.min_area:
        conds.append(Carrier.available_area_m2 >= filters.min_area)
    if filters.max_rent_yuan is not None:
        conds.append(Carrier.rent_fen_per_m2_month <= int(filters.max_rent_yuan * 100))
    if filters.min_power:
        conds.append(Carrier.power_kva >= filters.min_power)
    if filters.available_only:
        conds.append(Carrier.available_area_m2 > 0)
    return conds


def search(
    session: Session, *, filters: Filters, page: int = 1, page_size: int = 20
) -> tuple[list[Carrier], int]:
    """The public portal's search: newest first, filtered, with a total (``COUNT_CAP + 1`` at most)."""
    query = select(Carrier).where(*_conditions(filters))
    # The count stops at COUNT_CAP + 1 matches, so a broad filter never scans the whole table twice.
    capped = query.with_only_columns(Carrier.id).limit(COUNT_CAP + 1).subquery()
    total = session.scalar(select(func.count()).select_from(capped)) or 0
    rows = session.scalars(query.order_by(Carrier.id.desc()).offset((page - 1) * page_size).limit(page_size))
    return list(rows), total


def list_carriers(
    session: Session, *, actor: Actor, filters: Filters, page: int = 1, page_size: int = 20
) -> Page[Carrier]:
    """The officers' list: every status (occupied too), newest first, with an exact total."""
    require(actor, perm.CARRIER_LIST)
    conds = _conditions(filters)
    stmt = select(Carrier).where(*conds).order_by(Carrier.id.desc())
    count = select(func.count(Carrier.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_carriers(session: Session, *, actor: Actor, filters: Filters, limit: int) -> Iterator[Carrier]:
    """The filtered carriers for an export (the permission is checked before any row is read)."""
    require(actor, perm.CARRIER_LIST)
    stmt = select(Carrier).where(*_conditions(filters)).order_by(Carrier.id.desc()).limit(limit)
    return iter(session.scalars(stmt))
