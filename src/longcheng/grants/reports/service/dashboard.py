"""The programme dashboard (专项驾驶舱): applications, amounts and time in the current stage, by
programme and by district, for one year, programme or district (the officer's own district only
when the officer belongs to one). Drafts are left out: nobody has applied yet. The database does
the adding up (one GROUP BY, the same SQL on SQLite and PostgreSQL but for the day difference),
so the page costs the same few rows at 100 applications or 100,000."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import UTCDateTime
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import visible_to
from longcheng.grants.engine.stages import machine
from longcheng.grants.programmes.models import Programme
from longcheng.grants.reports.schemas import DashboardFilter
from longcheng.registry import reference

CLOSED = ("draft", "decided", "rejected")  # not waiting in a stage


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

    def merge(self, row: Sums) -> None:
        """Add one row of the SQL grouping (a programme, district and stage)."""
        self.apps += row.apps
        self.requested_fen += row.requested_fen
        self.decided += row.decided
        self.approved_fen += row.approved_fen
        self.waiting += row.waiting
        self.days_total += row.days_total
        self.days_max = max(self.days_max, row.days_max)


@dataclass(frozen=True)
class Sums:
    """The SQL aggregates of one (programme, district, stage)."""

    code: str
    name: str
    district: str | None
    stage: str
    apps: int
    requested_fen: int
    decided: int
    approved_fen: int
    waiting: int
    days_total: float
    days_max: float


@dataclass
class Dashboard:
    total: Group
    by_programme: list[Group] = field(default_factory=list)
    by_district: list[Group] = field(default_factory=list)
    by_pair: list[Group] = field(default_factory=list)
    by_stage: list[tuple[str, int]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _days(dialect: str, now: datetime) -> ColumnElement[Any]:
    """Days since the application entered its stage, in SQL on either backend."""
    entered, at = Application.stage_entered_at, literal(now, UTCDateTime())
    if dialect == "sqlite":
        return func.julianday(at) - func.julianday(entered)
    return func.date_part("epoch", at - entered) / 86400.0  # double precision (EXTRACT gives numeric)


def _grouped(session: Session, actor: Actor, f: DashboardFilter) -> Select[Any]:
    """Counts, amounts and days in stage, summed by SQL per programme, district and stage (grouped
    on the programme's id, the names joined to the few groups: no sort of text per application)."""
    decided, waiting = Application.stage == "decided", Application.stage.not_in(CLOSED)
    days = _days(session.get_bind().dialect.name, utcnow())
    keys = (Application.programme_id, Application.district, Application.stage)
    sums = (
        select(
            *keys,
            func.count().label("apps"),
            func.coalesce(func.sum(Application.requested_fen), 0).label("requested"),
            func.count(case((decided, 1))).label("decided"),
            func.coalesce(func.sum(case((decided, Application.approved_fen))), 0).label("approved"),
            func.count(case((waiting, 1))).label("waiting"),
            func.coalesce(func.sum(case((waiting, days))), 0.0).label("days_total"),
            func.coalesce(func.max(case((waiting, days))), 0.0).label("days_max"),
        )
        .where(Application.stage != "draft", visible_to(actor))
        .group_by(*keys)
    )
    if f.year:
        sums = sums.where(Application.fiscal_year == f.year)
    if f.programme:
        chosen = select(Programme.id).where(Programme.code == f.programme.strip())
        sums = sums.where(Application.programme_id.in_(chosen))
    if f.district:
        sums = sums.where(Application.district == f.district.strip())
    g = sums.subquery()
    columns = (g.c.district, g.c.stage, g.c.apps, g.c.requested, g.c.decided, g.c.approved, g.c.waiting)
    return select(Programme.code, Programme.name, *columns, g.c.days_total, g.c.days_max).join(
        Programme, Programme.id == g.c.programme_id
    )


def _sums(session: Session, actor: Actor, f: DashboardFilter) -> list[Sums]:
    out = []
    for row in session.execute(_grouped(session, actor, f)):
        code, name, district, stage, *counts, days_total, days_max = row
        apps, requested, decided, approved, waiting = (int(v) for v in counts)
        sums = (apps, requested, decided, approved, waiting, float(days_total), float(days_max))
        out.append(Sums(code, name, district, stage, *sums))
    return out


def _group(groups: dict[str, Group], key: str, label: str) -> Group:
    if key not in groups:
        groups[key] = Group(key, label)
    return groups[key]


def dashboard(session: Session, *, actor: Actor, filters: DashboardFilter) -> Dashboard:
    """Sums, averages and longest time in stage computed by one SQL GROUP BY (programme, district,
    stage); its few rows are added up here into the total, programme, district and pair views."""
    require(actor, perm.REPORT_READ)
    labels = machine().labels
    total = Group("", "合计")
    programmes: dict[str, Group] = {}
    districts: dict[str, Group] = {}
    pairs: dict[str, Group] = {}
    stages: dict[str, int] = {}
    for row in _sums(session, actor, filters):
        place = row.district or ""
        place_label = reference.place_name(row.district) or "未填写"
        for group in (
            total,
            _group(programmes, row.code, row.name),
            _group(districts, place, place_label),
            _group(pairs, f"{row.code}/{place}", f"{row.name} · {place_label}"),
        ):
            group.merge(row)
        stages[row.stage] = stages.get(row.stage, 0) + row.apps
    years = session.scalars(
        select(Application.fiscal_year).distinct().order_by(Application.fiscal_year.desc())
    )
    return Dashboard(
        total,
        sorted(programmes.values(), key=lambda g: g.key),
        sorted(districts.values(), key=lambda g: (-g.apps, g.key)),
        sorted(pairs.values(), key=lambda g: g.key),
        [(label, stages[s]) for s, label in labels.items() if s in stages],
        list(years),
    )
