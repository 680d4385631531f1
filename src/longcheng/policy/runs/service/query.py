"""Reading stored runs: the run list, who qualifies under a clause (with totals by district and
an export of exactly the filtered rows), and a run's 精准推送 notification list.

A district officer sees only rows of firms in that district; enterprises see none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.core.paging import Page, paginate
from longcheng.policy import permissions as perm
from longcheng.policy.models import Notification, Result, Run
from longcheng.policy.runs.service.store import latest_run
from longcheng.policy.schemas import ChangeFilter, ResultFilter
from longcheng.policy.service import get_pack, year_period

_RESULT_SORTS: dict[str, Any] = {
    "-amount": (Result.amount_fen.desc(), Result.id),
    "amount": (Result.amount_fen.asc(), Result.id),
    "name": (Result.org_name.asc(), Result.id),
    "uscc": (Result.uscc.asc(), Result.id),
}


def list_runs(
    session: Session, *, actor: Actor, pack_id: str | None = None, page: int = 1, page_size: int = 20
) -> Page[Run]:
    require(actor, perm.RUN_READ)
    stmt = select(Run).order_by(Run.id.desc())
    if pack_id:
        stmt = stmt.where(Run.pack_id == pack_id)
    return paginate(session, stmt, page=page, page_size=page_size)


def get_run(session: Session, *, actor: Actor, run_id: int) -> Run:
    require(actor, perm.RUN_READ)
    run = session.get(Run, run_id)
    if run is None:
        raise NotFound("未找到该批量测算记录。", code="policy.run_not_found")
    return run


def run_for_year(
    session: Session, *, actor: Actor, year: int | str | None, pack_id: str | None = None
) -> Run | None:
    """The latest stored run of the year (default: the policy's current year), or None."""
    require(actor, perm.RUN_READ)
    pack = get_pack(pack_id)
    return latest_run(session, pack_id=pack.id, period=str(year_period(pack, year)))


# -- who qualifies under one clause -----------------------------------------------------------
def _result_conditions(actor: Actor, run: Run, clause_id: str, f: ResultFilter) -> list[ColumnElement[bool]]:
    conds = [
        Result.run_id == run.id,
        Result.clause_id == clause_id,
        perm.district_filter(actor, Result.district),
    ]
    if f.district:
        conds.append(Result.district == f.district)
    if f.q:
        text = f.q.strip()
        conds.append(or_(Result.org_name.contains(text, autoescape=True), Result.uscc == text.upper()))
    if f.min_fen is not None:
        conds.append(Result.amount_fen >= f.min_fen)
    return conds


def _results_stmt(actor: Actor, run: Run, clause_id: str, f: ResultFilter) -> Select[Result]:
    return (
        select(Result).where(*_result_conditions(actor, run, clause_id, f)).order_by(*_RESULT_SORTS[f.sort])
    )


def results(
    session: Session,
    *,
    actor: Actor,
    run: Run,
    clause_id: str,
    filters: ResultFilter,
    page: int = 1,
    page_size: int = 20,
) -> Page[Result]:
    require(actor, perm.RUN_READ)
    get_pack(run.pack_id).clause(clause_id)
    count = select(func.count(Result.id)).where(*_result_conditions(actor, run, clause_id, filters))
    stmt = _results_stmt(actor, run, clause_id, filters)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_results(
    session: Session, *, actor: Actor, run: Run, clause_id: str, filters: ResultFilter, limit: int
) -> Iterator[Result]:
    """Exactly the filtered rows, in the list's order, streamed."""
    require(actor, perm.EXPORT)
    stmt = _results_stmt(actor, run, clause_id, filters).limit(limit)
    return iter(session.scalars(stmt.execution_options(yield_per=2000)))


def totals_by_district(
    session: Session, *, actor: Actor, run: Run, clause_id: str, filters: ResultFilter
) -> list[tuple[str | None, int, int]]:
    """``(district, firms, total fen)`` of the filtered rows, largest total first."""
    require(actor, perm.RUN_READ)
    stmt = (
        select(Result.district, func.count(Result.id), func.coalesce(func.sum(Result.amount_fen), 0))
        .where(*_result_conditions(actor, run, clause_id, filters))
        .group_by(Result.district)
        .order_by(func.sum(Result.amount_fen).desc())
    )
    return [(d, int(n), int(total)) for d, n, total in session.execute(stmt)]


# -- a run's notification list ----------------------------------------------------------------
def _change_conditions(actor: Actor, run: Run, f: ChangeFilter) -> list[ColumnElement[bool]]:
    conds = [Notification.run_id == run.id, perm.district_filter(actor, Notification.district)]
    if f.kind:
        conds.append(Notification.kind == f.kind)
    if f.clause:
        conds.append(Notification.clause_id == f.clause)
    if f.district:
        conds.append(Notification.district == f.district)
    if f.q:
        text = f.q.strip()
        conds.append(
            or_(Notification.org_name.contains(text, autoescape=True), Notification.uscc == text.upper())
        )
    return conds


def changes(
    session: Session, *, actor: Actor, run: Run, filters: ChangeFilter, page: int = 1, page_size: int = 20
) -> Page[Notification]:
    require(actor, perm.RUN_READ)
    conds = _change_conditions(actor, run, filters)
    stmt = select(Notification).where(*conds).order_by(Notification.kind, Notification.uscc, Notification.id)
    count = select(func.count(Notification.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_changes(
    session: Session, *, actor: Actor, run: Run, filters: ChangeFilter, limit: int
) -> Iterator[Notification]:
    require(actor, perm.EXPORT)
    conds = _change_conditions(actor, run, filters)
    stmt = select(Notification).where(*conds).order_by(Notification.kind, Notification.uscc, Notification.id)
    return iter(session.scalars(stmt.limit(limit).execution_options(yield_per=2000)))


def change_counts(session: Session, *, actor: Actor, run: Run) -> dict[str, int]:
    """How many new / dropped / changed rows of the run the actor can see."""
    require(actor, perm.RUN_READ)
    stmt = (
        select(Notification.kind, func.count(Notification.id))
        .where(Notification.run_id == run.id, perm.district_filter(actor, Notification.district))
        .group_by(Notification.kind)
    )
    counts = {"new": 0, "dropped": 0, "changed": 0}
    counts.update({kind: int(n) for kind, n in session.execute(stmt)})
    return counts


# -- what a district officer sees of a run ----------------------------------------------------
def scoped_stats(session: Session, *, actor: Actor, run_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per run, the figures within the actor's scope: qualifying pairs, total fen, new/dropped/changed.

    City-wide actors read the run's own figures; this is for district officers, whose pages must
    not show other districts' numbers.
    """
    require(actor, perm.RUN_READ)
    stats = {rid: {"qualifying": 0, "total_fen": 0, "new": 0, "dropped": 0, "changed": 0} for rid in run_ids}
    results = (
        select(Result.run_id, func.count(Result.id), func.coalesce(func.sum(Result.amount_fen), 0))
        .where(Result.run_id.in_(run_ids), perm.district_filter(actor, Result.district))
        .group_by(Result.run_id)
    )
    for run_id, count, total in session.execute(results):
        stats[run_id].update(qualifying=int(count), total_fen=int(total))
    notes = (
        select(Notification.run_id, Notification.kind, func.count(Notification.id))
        .where(Notification.run_id.in_(run_ids), perm.district_filter(actor, Notification.district))
        .group_by(Notification.run_id, Notification.kind)
    )
    for run_id, kind, count in session.execute(notes):
        stats[run_id][kind] = int(count)
    return stats


def clause_stats(session: Session, *, actor: Actor, run: Run) -> dict[str, tuple[int, int]]:
    """Per clause, ``(qualifying firms, total fen)`` within the actor's scope."""
    require(actor, perm.RUN_READ)
    stmt = (
        select(Result.clause_id, func.count(Result.id), func.coalesce(func.sum(Result.amount_fen), 0))
        .where(Result.run_id == run.id, perm.district_filter(actor, Result.district))
        .group_by(Result.clause_id)
    )
    return {clause: (int(n), int(total)) for clause, n, total in session.execute(stmt)}
