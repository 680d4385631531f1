"""Investor leads (招商线索): owned by an officer, matched to carriers, converted once into a
project in ``projects`` (through its public service), moving the project into a carrier."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from longcheng.carriers import permissions as perm
from longcheng.carriers.models import Carrier, CarrierKind, Lead
from longcheng.carriers.schemas import LeadIn
from longcheng.carriers.service import sites
from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.errors import Conflict, NotFound, PermissionDenied
from longcheng.core.validation import validate
from longcheng.projects import service as projects_service
from longcheng.projects.schemas import ProjectCreate

ENTITY = "carriers.lead"


class LeadNotFound(NotFound):
    code = "carriers.lead_not_found"
    message = "未找到该招商线索。"


@dataclass
class Fit:
    """A carrier that meets the lead's hard constraints, its fit score and why."""

    carrier: Carrier
    score: float
    why: list[str] = field(default_factory=list)


def create(session: Session, *, actor: Actor, data: LeadIn) -> Lead:
    """Register a lead owned by the officer who enters it."""
    require(actor, perm.LEAD_EDIT)
    n = (session.scalar(select(func.max(Lead.id))) or 0) + 1
    lead = Lead(
        code=f"XS{n:06d}",
        investor=data.investor,
        industry=data.industry,
        district=data.district,
        need_kind=data.need_kind,
        need_area_m2=data.need_area_m2,
        need_land_use=data.need_land_use,
        need_power_kva=data.need_power_kva,
        budget_fen=None if data.budget_wan is None else int(data.budget_wan * 1_000_000),
        timeline=data.timeline,
        jobs=data.jobs,
        owner_id=actor.id,
        owner_label=actor.label,
    )
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


def _fit(lead: Lead, carrier: Carrier) -> Fit:
    fit = Fit(
        carrier=carrier, score=0.0, why=[f"满足面积{'、用电' if lead.need_power_kva else ''}等硬性条件"]
    )
    clusters = [c for c in carrier.industries.replace("，", ",").replace("、", ",").split(",") if c.strip()]
    shared = [
        c.strip() for c in clusters if lead.industry and (c.strip() in lead.industry or lead.industry in c)
    ]
    if shared:
        fit.score += 0.4
        fit.why.append("园区主导产业相符：" + "、".join(shared))
    if carrier.district == lead.district:
        fit.score += 0.2
        fit.why.append("位于意向区")
    cost = (
        carrier.price_fen
        if lead.need_kind == "land"
        else (carrier.rent_fen_per_m2_month or 0) * lead.need_area_m2 * 12
    )
    if lead.budget_fen and cost and cost <= lead.budget_fen:
        fit.score += 0.3
        fit.why.append("价格在预算内")
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
