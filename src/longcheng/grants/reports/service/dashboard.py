"""The programme dashboard (专项驾驶舱): applications, amounts and time in the current stage, by
programme and by district, for one year, programme or district (the officer's own district only
when the officer belongs to one). Drafts are left out: nobody has applied yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import visible_to
from longcheng.grants.engine.stages import machine
from longcheng.grants.programmes.models import Programme
from longcheng.grants.reports.schemas import DashboardFilter
from longcheng.registry import reference

CLOSED = frozenset({"draft", "decided", "rejected"})


@dataclass
class Group:
    """One programme, district or (programme, district) pair."""

    key: str
    label: str
    apps: int = 0
    requested_fen: int = 0
    approved_fen: int = 0
    decided: int = 0
    waiting: int = 0
    days_total: float = 0.0
    days_max: float = 0.0

    @property
    def days_avg(self) -> float:
        return self.days_total / self.waiting if self.waiting else 0.0

    def add(self, stage: str, requested: int, approved: int | None, days: float) -> None:
        self.apps += 1
        self.requested_fen += requested
        if stage == "decided":
            self.decided += 1
            self.approved_fen += approved or 0
        if stage not in CLOSED:
            self.waiting += 1
            self.days_total += days
            self.days_max = max(self.days_max, days)


@dataclass
class Dashboard:
    total: Group
    by_programme: list[Group] = field(default_factory=list)
    by_district: list[Group] = field(default_factory=list)
    by_pair: list[Group] = field(default_factory=list)
    by_stage: list[tuple[str, int]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _rows(
    session: Session, actor: Actor, f: DashboardFilter
) -> list[tuple[str, str, str | None, str, int, int | None, datetime]]:
    stmt = (
        select(
            Programme.code,
            Programme.name,
            Application.district,
            Application.stage,
            Application.requested_fen,
            Application.approved_fen,
            Application.stage_entered_at,
        )
        .join(Programme, Programme.id == Application.programme_id)
        .where(Application.stage != "draft", visible_to(actor))
    )
    if f.year:
        stmt = stmt.where(Application.fiscal_year == f.year)
    if f.programme:
        stmt = stmt.where(Programme.code == f.programme.strip())
    if f.district:
        stmt = stmt.where(Application.district == f.district.strip())
    return [tuple(r) for r in session.execute(stmt)]  # type: ignore[misc]


def _group(groups: dict[str, Group], key: str, label: str) -> Group:
    if key not in groups:
        groups[key] = Group(key, label)
    return groups[key]


def dashboard(session: Session, *, actor: Actor, filters: DashboardFilter) -> Dashboard:
    require(actor, perm.REPORT_READ)
    now, labels = utcnow(), machine().labels
    total = Group("", "合计")
    programmes: dict[str, Group] = {}
    districts: dict[str, Group] = {}
    pairs: dict[str, Group] = {}
    stages: dict[str, int] = {}
    for code, name, district, stage, requested, approved, entered in _rows(session, actor, filters):
        days = (now - entered).total_seconds() / 86400
        place = district or ""
        place_label = reference.place_name(district) or "未填写"
        for group in (
            total,
            _group(programmes, code, name),
            _group(districts, place, place_label),
            _group(pairs, f"{code}/{place}", f"{name} · {place_label}"),
        ):
            group.add(stage, requested, approved, days)
        stages[stage] = stages.get(stage, 0) + 1
    years = session.scalars(
        select(Application.fiscal_year).distinct().order_by(Application.fiscal_year.desc())
    )
    return Dashboard(
        total,
        sorted(programmes.values(), key=lambda g: g.key),
        sorted(districts.values(), key=lambda g: -g.apps),
        sorted(pairs.values(), key=lambda g: g.key),
        [(label, stages[s]) for s, label in labels.items() if s in stages],
        list(years),
    )
