"""Investor leads (招商线索): owned by an officer, matched to carriers, converted once into a
project in ``projects`` (through its public service), moving the project into a carrier."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.carriers import permissions as perm
from longcheng.carriers.models import LAND_USES, Carrier, CarrierKind, Lead
from longcheng.carriers.schemas import LeadFilter, LeadIn
from longcheng.carriers.service import sites
from longcheng.core import audit, changelog
from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.changelog import ChangeView
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied
from longcheng.core.paging import Page, paginate
from longcheng.core.validation import validate
from longcheng.projects import service as projects_service
from longcheng.projects.schemas import ProjectCreate
from longcheng.registry import reference

ENTITY = "carriers.lead"
EARTH_KM = 6371.0
NEAR_KM = 50.0  # beyond this the distance adds nothing to the fit


class LeadNotFound(NotFound):
    code = "carriers.lead_not_found"
    message = "未找到该招商线索。"


@dataclass
class Fit:
    """A carrier that meets the lead's hard constraints, its fit score and why."""

    carrier: Carrier
    score: float
    why: list[str] = field(default_factory=list)


def _columns(data: LeadIn) -> dict[str, Any]:
    return {
        "investor": data.investor,
        "industry": data.industry,
        "district": data.district,
        "need_kind": data.need_kind,
        "need_area_m2": data.need_area_m2,
        "need_land_use": data.need_land_use if data.need_kind == "land" else None,
        "need_power_kva": data.need_power_kva,
        "budget_fen": None if data.budget_wan is None else int(data.budget_wan * 1_000_000),
        "timeline": data.timeline,
        "jobs": data.jobs,
        "lat": data.lat,
        "lon": data.lon,
        "note": data.note,
    }


def create(session: Session, *, actor: Actor, data: LeadIn) -> Lead:
    """Register a lead owned by the officer who enters it."""
    require(actor, perm.LEAD_EDIT)
    n = (session.scalar(select(func.max(Lead.id))) or 0) + 1
    lead = Lead(code=f"XS{n:06d}", owner_id=actor.id, owner_label=actor.label, **_columns(data))
    session.add(lead)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="carriers.lead.create",
        entity_type=ENTITY,
        entity_id=lead.code,
        after={"investor": data.investor, "need_area_m2": data.need_area_m2},
    )
    return lead


def get(session: Session, *, actor: Actor, code: str, lock: bool = False) -> Lead:
    """A lead: readable by managers; changed only by its owner or an admin."""
    require(actor, perm.LEAD_READ)
    query = select(Lead).where(Lead.code == code)
    lead = session.scalar(query.with_for_update() if lock else query)
    if lead is None:
        raise LeadNotFound()
    return lead


AUDITED = (
    "investor",
    "industry",
    "district",
    "need_kind",
    "need_area_m2",
    "need_land_use",
    "need_power_kva",
    "budget_fen",
    "timeline",
    "jobs",
)


def _may_change(actor: Actor, lead: Lead) -> None:
    if lead.owner_id != actor.id and not can(actor, "users.manage"):
        raise PermissionDenied("只有线索负责人可以修改该线索。", code="carriers.lead_not_owner")


def update(session: Session, *, actor: Actor, code: str, data: LeadIn) -> Lead:
    """Change an open lead's needs (its owner or an admin); a converted lead stays as it was."""
    require(actor, perm.LEAD_EDIT)
    lead = get(session, actor=actor, code=code, lock=True)
    _may_change(actor, lead)
    if lead.project_code:
        raise Conflict(
            f"该线索已转为项目 {lead.project_code}，不能再修改。", code="carriers.lead_already_converted"
        )
    before = {k: getattr(lead, k) for k in AUDITED}
    for key, value in _columns(data).items():
        setattr(lead, key, value)
    lead.updated_at = utcnow()
    session.flush()
    changed = [k for k in AUDITED if before[k] != getattr(lead, k)]
    audit.record(
        session,
        actor=actor,
        action="carriers.lead.update",
        entity_type=ENTITY,
        entity_id=lead.code,
        before={k: before[k] for k in changed},
        after={k: getattr(lead, k) for k in changed},
    )
    return lead


def _conditions(actor: Actor, f: LeadFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(or_(Lead.investor.like(like), Lead.industry.like(like), Lead.code.like(like)))
    if f.status:
        conds.append(Lead.status == f.status)
    if f.need_kind:
        conds.append(Lead.need_kind == f.need_kind)
    if f.district:
        place = reference.find_place(f.district)
        conds.append(Lead.district == (place.code if place else f.district))
    if f.mine:
        conds.append(Lead.owner_id == actor.id)
    return conds


SORTS: dict[str, Any] = {
    "-created": Lead.id.desc(),
    "created": Lead.id.asc(),
    "-area": Lead.need_area_m2.desc(),
    "investor": Lead.investor.asc(),
}


def list_leads(
    session: Session, *, actor: Actor, filters: LeadFilter, page: int = 1, page_size: int = 20
) -> Page[Lead]:
    """The leads officers follow: search, filters, a sort, paging."""
    require(actor, perm.LEAD_READ)
    conds = _conditions(actor, filters)
    stmt = select(Lead).where(*conds).order_by(SORTS[filters.sort], Lead.id.desc())
    return paginate(
        session, stmt, page=page, page_size=page_size, count=select(func.count(Lead.id)).where(*conds)
    )


def iter_leads(session: Session, *, actor: Actor, filters: LeadFilter, limit: int) -> Iterator[Lead]:
    """The filtered leads for an export (the permission is checked before any row is read)."""
    require(actor, perm.LEAD_EXPORT)
    conds = _conditions(actor, filters)
    stmt = select(Lead).where(*conds).order_by(SORTS[filters.sort], Lead.id.desc()).limit(limit)
    return iter(session.scalars(stmt))


def history(session: Session, *, actor: Actor, code: str) -> list[ChangeView]:
    """The lead's change log in Chinese, newest first (its conversion included)."""
    lead = get(session, actor=actor, code=code)
    records = audit.history(session, entity_type=ENTITY, entity_id=lead.code)
    return [changelog.describe(r) for r in records]


def _hard(lead: Lead) -> list[ColumnElement[bool]]:
    rules: list[ColumnElement[bool]] = [
        Carrier.available_area_m2 >= lead.need_area_m2,
        Carrier.status != "occupied",
    ]
    if lead.need_kind == "land":
        rules.append(Carrier.kind == CarrierKind.land.value)
        if lead.need_land_use:
            rules.append(Carrier.land_use == lead.need_land_use)
    else:
        rules.append(Carrier.kind != CarrierKind.land.value)
    if lead.need_power_kva:
        rules.append(Carrier.power_kva >= lead.need_power_kva)
    return rules


def _hard_reason(lead: Lead, carrier: Carrier) -> str:
    parts = [f"可用面积 {carrier.available_area_m2} 平方米 ≥ 需求 {lead.need_area_m2} 平方米"]
    if lead.need_kind == "land" and lead.need_land_use:
        parts.append(f"用地性质为{LAND_USES.get(lead.need_land_use, lead.need_land_use)}")
    if lead.need_power_kva:
        parts.append(f"电力 {carrier.power_kva} 千伏安 ≥ 需求 {lead.need_power_kva} 千伏安")
    return "满足硬性条件：" + "；".join(parts)


def _industry(lead: Lead, carrier: Carrier, fit: Fit) -> None:
    clusters = [c.strip() for c in re.split("[,，、;；/ ]", carrier.industries) if c.strip()]
    shared = [c for c in clusters if lead.industry and (c in lead.industry or lead.industry in c)]
    if shared:
        fit.score += 0.4
        fit.why.append("园区主导产业相符：" + "、".join(shared))
    elif lead.industry and clusters:
        fit.why.append(f"主导产业为{'、'.join(clusters)}，与{lead.industry}不同")


def _price(lead: Lead, carrier: Carrier, fit: Fit) -> None:
    cost = (
        carrier.price_fen
        if lead.need_kind == "land"
        else (carrier.rent_fen_per_m2_month or 0) * lead.need_area_m2 * 12
    )
    what = "挂牌价" if lead.need_kind == "land" else "年租金约"
    if not cost or not lead.budget_fen:
        fit.why.append("价格或预算未填，未比较价格")
    elif cost <= lead.budget_fen:
        fit.score += 0.3
        fit.why.append(
            f"价格在预算内：{what} {cost / 1_000_000:.2f} 万元 ≤ 预算 {lead.budget_fen / 1_000_000:.2f} 万元"
        )
    else:
        over = (cost - lead.budget_fen) * 100 // lead.budget_fen
        fit.why.append(f"价格超出预算约 {over}%：{what} {cost / 1_000_000:.2f} 万元")


def distance_km(a: tuple[Decimal, Decimal], b: tuple[Decimal, Decimal]) -> float:
    """Great-circle distance between two (lat, lon) points in kilometres."""
    lat1, lon1, lat2, lon2 = (math.radians(float(v)) for v in (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(h))


def _place(lead: Lead, carrier: Carrier, fit: Fit) -> None:
    if carrier.district == lead.district:
        fit.score += 0.2
        fit.why.append("位于意向区")
    if None not in (lead.lat, lead.lon, carrier.lat, carrier.lon):
        km = distance_km((lead.lat, lead.lon), (carrier.lat, carrier.lon))  # type: ignore[arg-type]
        fit.score += 0.2 * max(0.0, 1 - km / NEAR_KM)
        fit.why.append(f"距意向位置约 {km:.1f} 公里")


def _fit(lead: Lead, carrier: Carrier) -> Fit:
    fit = Fit(carrier=carrier, score=0.0, why=[_hard_reason(lead, carrier)])
    _industry(lead, carrier, fit)
    _price(lead, carrier, fit)
    _place(lead, carrier, fit)
    fit.score += 0.1 * lead.need_area_m2 / max(carrier.available_area_m2, 1)
    return fit


def match(session: Session, *, actor: Actor, code: str, limit: int = 10) -> list[Fit]:
    """Carriers meeting the lead's hard constraints (area, use, power), best fit first."""
    lead = get(session, actor=actor, code=code)
    candidates = session.scalars(select(Carrier).where(*_hard(lead)).limit(500))
    fits = sorted((_fit(lead, c) for c in candidates), key=lambda f: (-f.score, f.carrier.code))
    return fits[:limit]


def convert(session: Session, *, actor: Actor, code: str, carrier_code: str | None = None) -> str:
    """Turn the lead into a project (stage 线索); refused the second time. Returns the project code."""
    require(actor, perm.LEAD_EDIT)
    lead = get(session, actor=actor, code=code, lock=True)
    if lead.owner_id != actor.id and not can(actor, "users.manage"):
        raise PermissionDenied("只有线索负责人可以转为项目。", code="carriers.lead_not_owner")
    if lead.project_code:
        raise Conflict(
            f"该线索已于此前转为项目 {lead.project_code}，不能重复转化。",
            code="carriers.lead_already_converted",
        )
    carrier = sites.get(session, code=carrier_code) if carrier_code else None
    body = {
        "name": f"{lead.investor}项目",
        "district": lead.district,
        "park": carrier.park if carrier else None,
        "summary": (
            f"由招商线索 {lead.code} 转入。行业：{lead.industry or '未填'}；"
            f"需求面积 {lead.need_area_m2} 平方米。"
        ),
        "expected_jobs": lead.jobs,
        "floor_area_m2": lead.need_area_m2 if lead.need_kind == "building" else None,
    }
    project = projects_service.create(
        session, actor=actor, data=validate(ProjectCreate, body, code="carriers.invalid")
    )
    lead.project_code, lead.status = project.code, "converted"
    if carrier is not None:
        lead.carrier_id = carrier.id
        left = max(carrier.available_area_m2 - lead.need_area_m2, 0)
        sites.set_available(session, actor=actor, code=carrier.code, area=left, note=f"{lead.investor}入驻")
    audit.record(
        session,
        actor=actor,
        action="carriers.lead.convert",
        entity_type=ENTITY,
        entity_id=lead.code,
        after={"project_code": project.code, "carrier": carrier.code if carrier else ""},
    )
    return project.code
