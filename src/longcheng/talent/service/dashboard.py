"""The 直兑 dashboard: the latest run's people paid and amounts by district, degree and industry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.registry import reference
from longcheng.talent import permissions as perm
from longcheng.talent.models import Payment, Person, Recovery, Result, Run
from longcheng.talent.schemas import DEGREE_LABELS
from longcheng.talent.service.people import visible_to


@dataclass
class Dashboard:
    run: Run | None
    people: int = 0
    confirmed: int = 0
    paid_people: int = 0
    paid_fen: int = 0
    pending_recovery_fen: int = 0
    by_district: list[tuple[str, int, int]] = field(default_factory=list)
    by_degree: list[tuple[str, int, int]] = field(default_factory=list)
    by_industry: list[tuple[str, int, int]] = field(default_factory=list)


def _grouped(session: Session, actor: Actor, run: Run, column: Any) -> list[tuple[str, int, int]]:
    stmt = (
        select(column, func.count(), func.sum(Result.amount_fen))
        .join(Person, Person.id == Result.person_id)
        .where(Result.run_id == run.id, Result.qualifies.is_(True), visible_to(actor))
        .group_by(column)
        .order_by(func.sum(Result.amount_fen).desc())
    )
    return [(str(key or ""), int(n), int(total or 0)) for key, n, total in session.execute(stmt).all()]


def dashboard(session: Session, *, actor: Actor) -> Dashboard:
    """Figures of the latest run (qualifying people and amounts), and payment totals so far."""
    require(actor, perm.READ)
    run = session.scalar(select(Run).order_by(Run.month.desc(), Run.id.desc()).limit(1))
    board = Dashboard(run)
    board.people = session.scalar(select(func.count()).select_from(Person).where(visible_to(actor))) or 0
    board.confirmed = (
        session.scalar(
            select(func.count())
            .select_from(Person)
            .where(visible_to(actor), Person.confirmed_at.is_not(None))
        )
        or 0
    )
    paid = session.execute(
        select(func.count(func.distinct(Payment.person_id)), func.sum(Payment.amount_fen))
        .join(Person, Person.id == Payment.person_id)
        .where(visible_to(actor))
    ).one()
    board.paid_people, board.paid_fen = int(paid[0] or 0), int(paid[1] or 0)
    board.pending_recovery_fen = int(
        session.scalar(
            select(func.sum(Recovery.amount_fen))
            .join(Person, Person.id == Recovery.person_id)
            .where(Recovery.status == "pending", visible_to(actor))
        )
        or 0
    )
    if run is None:
        return board
    board.by_district = [
        (reference.place_name(k) or "未知", n, t)
        for k, n, t in _grouped(session, actor, run, Person.district)
    ]
    board.by_degree = [
        (DEGREE_LABELS.get(k, k), n, t) for k, n, t in _grouped(session, actor, run, Person.degree)
    ]
    industries = _grouped(session, actor, run, func.substr(Person.industry, 1, 2))
    board.by_industry = [(reference.industry_name(k) or "未知", n, t) for k, n, t in industries[:12]]
    return board
