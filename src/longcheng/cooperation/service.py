"""Cooperation programmes: the data, and each programme's roll-up read from ``projects``
(the projects whose 合作机制 is the programme) and ``carriers`` (the carriers in its parks).

Grants paid into a programme are the payables of ``grants`` to the firms investing in its
projects (matched by USCC, or by name for a firm without one), read through grants' public
payments service and shown only to roles that may read payables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from longcheng.carriers import service as carriers_service
from longcheng.cooperation import permissions as perm
from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.clock import format_local
from longcheng.core.errors import NotFound
from longcheng.grants import permissions as grants_perm
from longcheng.grants.payments import service as payments
from longcheng.projects import service as projects_service
from longcheng.projects.schedule.stages import Stage
from longcheng.projects.schemas import ProjectFilter

MAX_PROJECTS = 500


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    partner_region: str
    enclave_parks: tuple[str, ...]
    parks: tuple[str, ...]
    summary: str


@dataclass
class Rollup:
    """A programme's projects with totals by stage and by year (fen), and its carriers."""

    programme: Programme
    projects: list[dict[str, Any]] = field(default_factory=list)
    by_stage: dict[str, int] = field(default_factory=dict)
    by_year: dict[str, int] = field(default_factory=dict)
    total_fen: int = 0
    carriers: list[dict[str, Any]] = field(default_factory=list)
    firms: list[tuple[str, str | None, str]] = field(default_factory=list)  # (name, uscc, project code)


@dataclass(frozen=True)
class GrantPaid:
    """One payable of grants to a firm of the programme."""

    firm: str
    project_code: str
    reference: str
    amount_fen: int
    state: str
    state_label: str
    paid_at: datetime | None
    memo: str


@dataclass
class Grants:
    """Grants to the programme's firms: every payable, and the total actually paid (fen)."""

    items: list[GrantPaid] = field(default_factory=list)
    paid_fen: int = 0
    by_year: dict[str, int] = field(default_factory=dict)


@cache
def programmes() -> dict[str, Programme]:
    """Every programme by code, in file order."""
    text = resources.files("longcheng.cooperation").joinpath("data/programmes.yaml").read_text("utf-8")
    return {
        p["code"]: Programme(
            p["code"],
            p["name"],
            p["partner_region"],
            tuple(p.get("enclave_parks") or ()),
            tuple(p.get("parks") or ()),
            p.get("summary", ""),
        )
        for p in yaml.safe_load(text)["programmes"]
    }


def get(code: str) -> Programme:
    programme = programmes().get(code)
    if programme is None:
        raise NotFound("未找到该合作机制。", code="cooperation.not_found")
    return programme


def rollup(session: Session, *, actor: Actor, code: str) -> Rollup:
    """The programme's projects (as ``actor`` may see them), totals and carriers."""
    require(actor, perm.PROGRAMME_READ)
    out = Rollup(programme=get(code))
    page = projects_service.list_projects(
        session, actor=actor, filters=ProjectFilter(cooperation=code), page_size=MAX_PROJECTS
    )
    by_stage: dict[str, int] = defaultdict(int)
    by_year: dict[str, int] = defaultdict(int)
    for p in page.items:
        when = p.signed_on or p.lead_on
        year = str(when.year) if when else "未知"
        by_stage[Stage(p.stage).label] += p.total_investment_fen
        by_year[year] += p.total_investment_fen
        out.total_fen += p.total_investment_fen
        out.firms += [(i.name, i.uscc, p.code) for i in p.investors]
        out.projects.append(
            {
                "code": p.code,
                "name": p.name,
                "stage": Stage(p.stage).label,
                "year": year,
                "total_fen": p.total_investment_fen,
                "partner_region": p.partner_region,
            }
        )
    out.by_stage = {s.label: by_stage[s.label] for s in Stage if s.label in by_stage}
    out.by_year = dict(sorted(by_year.items()))
    for park in out.programme.parks:
        rows, _total = carriers_service.search(
            session, filters=carriers_service.Filters(park=park, available_only=False)
        )
        out.carriers += [
            {"code": c.code, "name": c.name, "available_area_m2": c.available_area_m2} for c in rows
        ]
    return out


MAX_FIRMS = 200


def grants_paid(session: Session, *, actor: Actor, roll: Rollup) -> Grants | None:
    """Grants' payables to the firms investing in the programme's projects; ``None`` when the
    actor may not read payables (the page then leaves the section out)."""
    if not can(actor, grants_perm.PAYABLE_READ):
        return None
    out = Grants()
    seen: set[int] = set()
    for name, uscc, project_code in roll.firms[:MAX_FIRMS]:
        filters = payments.PayableFilter(q=name)
        for p in payments.iter_payables(session, actor=actor, filters=filters, limit=MAX_PROJECTS):
            same = p.payee_uscc == uscc if uscc else p.payee_name == name
            if not same or p.id in seen:
                continue
            seen.add(p.id)
            out.items.append(
                GrantPaid(
                    name, project_code, p.reference, p.amount_fen, p.state, p.state_label, p.paid_at, p.memo
                )
            )
            if p.state == "paid":
                out.paid_fen += p.amount_fen
                year = format_local(p.paid_at, "%Y") if p.paid_at else "未知"
                out.by_year[year] = out.by_year.get(year, 0) + p.amount_fen
    out.by_year = dict(sorted(out.by_year.items()))
    return out


def counts(session: Session, *, actor: Actor) -> dict[str, int]:
    """How many projects each programme has (as ``actor`` may see them)."""
    require(actor, perm.PROGRAMME_READ)
    return {
        code: projects_service.list_projects(
            session, actor=actor, filters=ProjectFilter(cooperation=code)
        ).total
        for code in programmes()
    }
