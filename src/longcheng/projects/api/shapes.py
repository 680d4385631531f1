"""A project as JSON: money as integer fen plus a decimal string in yuan, dates as ISO text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from longcheng.projects.models import Project


def yuan(fen: int | None) -> str | None:
    return None if fen is None else f"{Decimal(fen) / 100:.2f}"


def project_json(p: Project) -> dict[str, Any]:
    return {
        "code": p.code,
        "name": p.name,
        "project_type": p.project_type,
        "district": p.district,
        "park": p.park,
        "industry": p.industry,
        "cooperation": p.cooperation,
        "partner_region": p.partner_region,
        "stage": p.stage,
        "stage_label": p.stage_enum.label,
        "stage_dates": {s.value: d.isoformat() for s, d in p.stage_dates.items()},
        "currency": p.currency,
        "stated_agreed": p.stated_agreed,
        "stated_total": p.stated_total,
        "fx_rate": str(Decimal(p.fx_rate_micro) / 1_000_000) if p.fx_rate_micro else None,
        "fx_rate_on": p.fx_rate_on.isoformat() if p.fx_rate_on else None,
        "agreed_investment_fen": p.agreed_investment_fen,
        "agreed_investment_yuan": yuan(p.agreed_investment_fen),
        "total_investment_fen": p.total_investment_fen,
        "total_investment_yuan": yuan(p.total_investment_fen),
        "land_mu": str(Decimal(p.land_centi_mu) / 100) if p.land_centi_mu is not None else None,
        "floor_area_m2": p.floor_area_m2,
        "expected_output_fen": p.expected_output_fen,
        "expected_tax_fen": p.expected_tax_fen,
        "expected_jobs": p.expected_jobs,
        "leader_name": p.leader_name,
        "responsible_unit": p.responsible_unit,
        "lists": p.list_names,
        "light": p.light,
        "light_reasons": p.reason_list,
        "warnings": p.warning_list,
        "version": p.version,
        "updated_at": p.updated_at.isoformat(),
    }


class ProjectRead(BaseModel):
    """A project as the list shows it: money as fen and as a decimal string in 元."""

    code: str
    name: str
    project_type: str
    district: str
    park: str | None
    industry: str | None
    cooperation: str | None
    partner_region: str
    stage: str
    stage_label: str
    stage_dates: dict[str, str]
    currency: str
    stated_agreed: int | None
    stated_total: int | None
    fx_rate: str | None
    fx_rate_on: str | None
    agreed_investment_fen: int
    agreed_investment_yuan: str | None
    total_investment_fen: int
    total_investment_yuan: str | None
    land_mu: str | None
    floor_area_m2: int | None
    expected_output_fen: int | None
    expected_tax_fen: int | None
    expected_jobs: int | None
    leader_name: str
    responsible_unit: str
    lists: list[str]
    light: str
    light_reasons: list[str]
    warnings: list[str]
    version: int
    updated_at: str


class ThresholdsRead(BaseModel):
    """The status lights' thresholds (working days and percentages) and their version."""

    node_yellow_within_working_days: int
    node_red_after_overdue_working_days: int
    order_yellow_within_working_days: int
    order_late_reply_red_working_days: int
    schedule_yellow_below_pct: str
    schedule_red_below_pct: str
    version: int | None


class RecomputeRead(BaseModel):
    projects: int
    changed: int
    counts: dict[str, int]


class CeremonyRead(BaseModel):
    name: str
    kind: str
    stage: str
    held_on: str
    projects: int


class PlanCreated(BaseModel):
    nodes: int
    notes: list[str]


class PlanRevised(BaseModel):
    notes: list[str]


class NodeDoneRead(BaseModel):
    code: str
    done_on: str | None


class InvestmentRead(BaseModel):
    month: str
    planned_fen: int | None
    completed_fen: int | None


class BoardColumn(BaseModel):
    """One stage of the board: how many projects, their total and the first cards."""

    stage: str
    label: str
    count: int
    total_investment_fen: int
    top: list[ProjectRead]


class StageTotal(BaseModel):
    stage: str
    count: int
    total_investment_fen: int


class DistrictTotal(BaseModel):
    district: str | None
    count: int
    total_investment_fen: int


class IndustryTotal(BaseModel):
    industry: str | None
    count: int
    total_investment_fen: int


class DashboardRead(BaseModel):
    """The year's cockpit: totals, lights, breakdowns, the red projects and the leaders named."""

    total: int
    total_investment_fen: int
    lights: dict[str, int]
    year: int
    by_stage: list[StageTotal]
    by_district: list[DistrictTotal]
    by_industry: list[IndustryTotal]
    red: list[ProjectRead]
    leaders: list[str]
