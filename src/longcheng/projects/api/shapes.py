"""A project as JSON: money as integer fen plus a decimal string in yuan, dates as ISO text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
