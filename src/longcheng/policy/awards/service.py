"""免申即享: the government's own data proves it — list the firms and amounts for confirmation.

The list is the latest run's qualifying set under a clause whose channel is 免申即享. An officer
confirms firms (the amount of that run is what is confirmed) or withholds them with a reason;
each decision is one audit record on the firm (so it shows in the firm's 痕迹). When a later run
changes a confirmed firm's amount, the row shows 金额有变化 and must be confirmed again.
Confirmation is all-or-nothing: a firm not on the list, or outside the officer's district,
refuses the whole request.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import ValidationFailed
from longcheng.core.paging import clamp
from longcheng.policy import permissions as perm
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.pack import Clause, Pack
from longcheng.policy.models import Award, Result, Run
from longcheng.policy.runs.service.store import latest_run
from longcheng.policy.schemas import AwardDecision, AwardFilter
from longcheng.policy.service import get_pack, year_period

STATUS_LABELS = {
    "pending": "待确认",
    "confirmed": "已确认",
    "changed": "金额有变化，待重新确认",
    "withheld": "暂缓",
}
CHANNEL = "免申即享"


@dataclass(frozen=True)
class AwardRow:
    result: Result
    award: Award | None

    @property
    def status(self) -> str:
        if self.award is None:
            return "pending"
        if self.award.status == "withheld":
            return "withheld"
        return "confirmed" if self.award.amount_fen == self.result.amount_fen else "changed"


@dataclass(frozen=True)
class AwardPage:
    clause: Clause
    run: Run | None
    items: list[AwardRow]
    total: int
    page: int
    page_size: int
    counts: dict[str, int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def award_clauses(pack: Pack) -> list[Clause]:
    """The enterprise clauses paid without application (channel 免申即享)."""
    return [c for c in pack.clauses.values() if c.entity == "enterprise" and CHANNEL in c.guide.channel]


def _clause(pack: Pack, clause_id: str | None) -> Clause:
    choices = award_clauses(pack)
    if clause_id is None:
        return choices[0]
    clause = pack.clause(clause_id)
    if clause not in choices:
        raise ValidationFailed(f"条款“{clause.title}”不属于免申即享。", code="policy.not_award_clause")
    return clause


def _joined(run: Run, clause_id: str) -> Select[Result, Award]:
    on = and_(
        Award.pack_id == run.pack_id,
        Award.period == run.period,
        Award.clause_id == Result.clause_id,
        Award.uscc == Result.uscc,
    )
    stmt = (
        select(Result, Award)
        .outerjoin(Award, on)
        .where(Result.run_id == run.id, Result.clause_id == clause_id)
    )
    return stmt


def _status_condition(status: str) -> ColumnElement[bool]:
    return {
        "pending": Award.id.is_(None),
        "withheld": Award.status == "withheld",
        "confirmed": and_(Award.status == "confirmed", Award.amount_fen == Result.amount_fen),
        "changed": and_(Award.status == "confirmed", Award.amount_fen != Result.amount_fen),
    }[status]


def _filtered(actor: Actor, run: Run, clause_id: str, f: AwardFilter) -> Select[Result, Award]:
    stmt = _joined(run, clause_id).where(perm.district_filter(actor, Result.district))
    if f.district:
        stmt = stmt.where(Result.district == f.district)
    if f.q:
        stmt = stmt.where(or_(Result.org_name.contains(f.q, autoescape=True), Result.uscc == f.q.upper()))
    return stmt


def award_list(
    session: Session, *, actor: Actor, filters: AwardFilter, page: int = 1, page_size: int = 50
) -> AwardPage:
    """One clause's 免申即享 list from the latest run of the year, with each firm's status."""
    require(actor, perm.AWARD_READ)
    pack = get_pack()
    clause = _clause(pack, filters.clause)
    run = latest_run(session, pack_id=pack.id, period=str(year_period(pack, filters.year)))
    page, page_size = clamp(page, page_size)
    if run is None:
        return AwardPage(clause, None, [], 0, page, page_size, dict.fromkeys(STATUS_LABELS, 0))
    base = _filtered(actor, run, clause.id, filters)
    counts = {s: _count(session, base.where(_status_condition(s))) for s in STATUS_LABELS}
    stmt = base.where(_status_condition(filters.status)) if filters.status else base
    total = counts[filters.status] if filters.status else sum(counts.values())
    stmt = stmt.order_by(Result.amount_fen.desc(), Result.id).limit(page_size).offset((page - 1) * page_size)
    items = [AwardRow(r, a) for r, a in session.execute(stmt)]
    return AwardPage(clause, run, items, total, page, page_size, counts)


def _count(session: Session, stmt: Select[Result, Award]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def iter_award_rows(
    session: Session, *, actor: Actor, filters: AwardFilter, limit: int
) -> tuple[Clause, list[AwardRow]]:
    """Exactly the filtered list (every page), for the XLSX export."""
    require(actor, perm.EXPORT)
    listing = award_list(session, actor=actor, filters=filters, page=1, page_size=1)
    if listing.run is None:
        return listing.clause, []
    stmt = _filtered(actor, listing.run, listing.clause.id, filters)
    if filters.status:
        stmt = stmt.where(_status_condition(filters.status))
    stmt = stmt.order_by(Result.amount_fen.desc(), Result.id).limit(limit)
    return listing.clause, [AwardRow(r, a) for r, a in session.execute(stmt)]


def pending_usccs(session: Session, *, actor: Actor, filters: AwardFilter) -> list[str]:
    """The firms of the filtered list still to confirm (待确认 or 金额有变化)."""
    require(actor, perm.AWARD_DECIDE)
    pack = get_pack()
    clause = _clause(pack, filters.clause)
    run = latest_run(session, pack_id=pack.id, period=str(year_period(pack, filters.year)))
    if run is None:
        return []
    stmt = _filtered(actor, run, clause.id, filters).where(
        or_(_status_condition("pending"), _status_condition("changed"))
    )
    return [r.uscc for r, _ in session.execute(stmt)]


def decide(session: Session, *, actor: Actor, data: AwardDecision) -> int:
    """Confirm or withhold the listed firms under one clause; all or nothing; audited per firm."""
    require(actor, perm.AWARD_DECIDE)
    if data.decision == "withheld" and not data.note:
        raise ValidationFailed(
            "暂缓发放须填写原因。", code="policy.note_required", details={"note": "请填写原因"}
        )
    pack = get_pack(data.pack)
    clause = _clause(pack, data.clause)
    period = str(year_period(pack, data.year))
    run = latest_run(session, pack_id=pack.id, period=period)
    if run is None:
        raise ValidationFailed(f"{period} 年度尚未进行批量测算，没有可确认的名单。", code="policy.no_run")
    wanted = sorted({u.strip().upper() for u in data.usccs if u.strip()})
    found = _results(session, run, clause.id, wanted)
    missing = [u for u in wanted if u not in found]
    if missing:
        raise ValidationFailed(
            f"以下 {len(missing)} 家企业不在最新测算的符合名单中，未作任何确认：{'、'.join(missing[:20])}",
            code="policy.not_on_list",
            details={"usccs": missing[:100]},
        )
    for result in found.values():
        require(actor, perm.AWARD_DECIDE, result)
    return _write(session, actor, run, clause, data, found)


def _results(session: Session, run: Run, clause_id: str, usccs: Sequence[str]) -> dict[str, Result]:
    found: dict[str, Result] = {}
    for start in range(0, len(usccs), 500):
        stmt = select(Result).where(
            Result.run_id == run.id,
            Result.clause_id == clause_id,
            Result.uscc.in_(usccs[start : start + 500]),
        )
        found.update({r.uscc: r for r in session.scalars(stmt)})
    return found


def _write(
    session: Session, actor: Actor, run: Run, clause: Clause, data: AwardDecision, found: dict[str, Result]
) -> int:
    existing = {
        a.uscc: a
        for a in session.scalars(
            select(Award).where(
                Award.pack_id == run.pack_id,
                Award.period == run.period,
                Award.clause_id == clause.id,
                Award.uscc.in_(list(found)),
            )
        )
    }
    changes, now = [], utcnow()
    for uscc, result in found.items():
        award = existing.get(uscc)
        before = award.audit_view() if award else None
        if award is None:
            award = Award(pack_id=run.pack_id, period=run.period, clause_id=clause.id, uscc=uscc)
            session.add(award)
        award.org_name, award.district, award.amount_fen, award.run_id = (
            result.org_name,
            result.district,
            result.amount_fen,
            run.id,
        )
        award.status, award.note, award.decided_by, award.decided_at = (
            data.decision,
            data.note,
            actor.label,
            now,
        )
        action = "policy.award.confirm" if data.decision == "confirmed" else "policy.award.withhold"
        after = award.audit_view() | {"amount": fen_to_yuan(result.amount_fen)}
        changes.append(
            audit.Change(action, "org", uscc, before, after, data.note or f"免申即享确认：{clause.title}")
        )
    session.flush()
    return audit.record_many(session, actor=actor, changes=changes)


def awards_for(
    session: Session, *, uscc: str, period: str, pack_id: str | None = None
) -> dict[str, dict[str, Any]]:
    """A firm's decisions for one year by clause, for its 一键查 page."""
    pack = get_pack(pack_id)
    stmt = select(Award).where(Award.pack_id == pack.id, Award.period == period, Award.uscc == uscc)
    return {
        a.clause_id: {
            "status": a.status,
            "label": STATUS_LABELS[a.status],
            "amount": fen_to_yuan(a.amount_fen),
        }
        for a in session.scalars(stmt)
    }
