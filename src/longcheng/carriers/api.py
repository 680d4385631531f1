"""JSON API of carriers under ``/api/v1/carriers``: the public search and carrier pages need no
login; registering carriers and the investor leads need an officer."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy.orm import Session

from longcheng.carriers import service
from longcheng.carriers.models import KIND_LABELS, LAND_USES, STATUSES, Carrier
from longcheng.carriers.schemas import AvailabilityIn, CarrierIn, LeadIn
from longcheng.carriers.service import leads as leads_service
from longcheng.core.actors import SYSTEM
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.openapi import Page
from longcheng.core.validation import validate
from longcheng.registry import reference
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgFilter

router = APIRouter(prefix="/api/v1/carriers", tags=["carriers 载体与招商线索"])
INVALID = "carriers.invalid"


class CarrierRead(BaseModel):
    """A carrier as the portal shows it (money in 元, areas in m², land also in 亩)."""

    code: str
    name: str
    kind: str
    kind_label: str
    district: str
    district_name: str
    park: str | None
    park_name: str
    operator: str
    industries: str
    total_area_m2: int
    available_area_m2: int
    land_mu: str | None
    land_use: str | None
    plot_ratio: str | None
    rent_yuan_per_m2_month: str | None
    price_wan: str | None
    power_kva: int | None
    floor_load_kn_m2: str | None
    clear_height_m: str | None
    status: str


class VacancyRead(BaseModel):
    on: str
    available_area_m2: int
    note: str


class CarrierDetail(CarrierRead):
    """A carrier with its vacancy over time and the firms registered in its park."""

    vacancy: list[VacancyRead]
    firms: list[str]


class LeadRead(BaseModel):
    code: str
    investor: str
    owner: str
    status: str
    project_code: str | None


class FitRead(BaseModel):
    carrier: str
    name: str
    score: float
    why: list[str]


class Converted(BaseModel):
    project_code: str


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def carrier_json(c: Carrier) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "kind_label": KIND_LABELS[c.kind],
        "district": c.district,
        "district_name": reference.place_name(c.district),
        "park": c.park,
        "park_name": reference.place_name(c.park),
        "operator": c.operator,
        "industries": c.industries,
        "total_area_m2": c.total_area_m2,
        "available_area_m2": c.available_area_m2,
        "land_mu": _text(c.land_mu),
        "land_use": LAND_USES.get(c.land_use or ""),
        "plot_ratio": _text(c.plot_ratio),
        "rent_yuan_per_m2_month": None
        if c.rent_fen_per_m2_month is None
        else f"{c.rent_fen_per_m2_month / 100:.2f}",
        "price_wan": None if c.price_fen is None else f"{c.price_fen / 1_000_000:.2f}",
        "power_kva": c.power_kva,
        "floor_load_kn_m2": _text(c.floor_load_kn_m2),
        "clear_height_m": _text(c.clear_height_m),
        "status": STATUSES.get(c.status, c.status),
    }


def firms_in(session: Session, carrier: Carrier, limit: int = 50) -> list[str]:
    """Names of the registry's firms in the carrier's park (public business names)."""
    if not carrier.park:
        return []
    page = registry_service.list_orgs(
        session, actor=SYSTEM, filters=OrgFilter(park=carrier.park), page_size=limit
    )
    return [org.name for org in page.items]


def parse_filters(
    q: str = "",
    kind: str = "",
    district: str = "",
    park: str = "",
    min_area: int | None = None,
    max_rent: Decimal | None = None,
    min_power: int | None = None,
) -> service.Filters:
    place = reference.find_place(district) if district else None
    zone = reference.find_place(park) if park else None
    return service.Filters(
        q=q.strip()[:100],
        kind=kind,
        district=place.code if place else district,
        park=zone.code if zone else park,
        min_area=min_area,
        max_rent_yuan=max_rent,
        min_power=min_power,
    )


@router.get("", response_model=Page[CarrierRead])
def search(
    session: DbSession,
    q: Annotated[str, Query(max_length=100)] = "",
    kind: Annotated[str, Query(max_length=20)] = "",
    district: Annotated[str, Query(max_length=40)] = "",
    park: Annotated[str, Query(max_length=40)] = "",
    min_area: Annotated[int | None, Query(ge=0)] = None,
    max_rent: Annotated[Decimal | None, Query(ge=0)] = None,
    min_power: Annotated[int | None, Query(ge=0)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    filters = parse_filters(q, kind, district, park, min_area, max_rent, min_power)
    rows, total = service.search(session, filters=filters, page=page, page_size=page_size)
    return {"items": [carrier_json(c) for c in rows], "total": total, "page": page, "page_size": page_size}


@router.post("", status_code=201, response_model=CarrierRead)
def create(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return carrier_json(service.create(session, actor=actor, data=validate(CarrierIn, body, code=INVALID)))


@router.put("/{code}/availability", response_model=CarrierRead)
def availability(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(AvailabilityIn, body, code=INVALID)
    return carrier_json(
        service.set_available(session, actor=actor, code=code, area=data.available_area_m2, note=data.note)
    )


@router.post("/leads", status_code=201, response_model=LeadRead)
def create_lead(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    lead = leads_service.create(session, actor=actor, data=validate(LeadIn, body, code=INVALID))
    return {
        "code": lead.code,
        "investor": lead.investor,
        "owner": lead.owner_label,
        "status": lead.status,
        "project_code": lead.project_code,
    }


@router.get("/leads/{code}/matches", response_model=list[FitRead])
def lead_matches(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    return [
        {"carrier": f.carrier.code, "name": f.carrier.name, "score": round(f.score, 3), "why": f.why}
        for f in service.match(session, actor=actor, code=code)
    ]


@router.post("/leads/{code}/convert", status_code=201, response_model=Converted)
def convert(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    carrier = body.get("carrier")
    project = service.convert(session, actor=actor, code=code, carrier_code=str(carrier) if carrier else None)
    return {"project_code": project}


@router.get("/{code}", response_model=CarrierDetail)
def detail(code: str, session: DbSession) -> dict[str, Any]:
    carrier = service.get(session, code=code)
    points = [
        {"on": p.on.isoformat(), "available_area_m2": p.available_area_m2, "note": p.note}
        for p in service.vacancy(session, carrier=carrier)
    ]
    return carrier_json(carrier) | {"vacancy": points, "firms": firms_in(session, carrier)}
