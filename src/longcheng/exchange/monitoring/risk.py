"""The risk scan: each signal with its evidence, stored once per (kind, subject) for review.

Signals: bidders on one lot who are related in the registry (shared legal representative or
shareholder, holdings); a lot sold to its only bidder at the start price; a winning bid in the
last seconds of the countdown; one bidder winning repeatedly from one seller; deposits of
bidders on one lot paid from the same third-party account; competing bidders on one lot whose
registrations or bids came from one device or one IP with the same browser (fingerprint).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.paging import Page, paginate
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.monitoring import permissions as perm
from longcheng.exchange.monitoring import signals
from longcheng.exchange.monitoring.models import RiskScan, RiskSignal

KINDS = {
    "related_bidders": "同一标的竞买人存在关联关系",
    "single_at_reserve": "单一竞买人以底价成交",
    "last_second": "最后时刻出价成交",
    "repeat_winner": "同一转让方项目反复由同一竞买人受让",
    "shared_payer": "多名竞买人保证金来自同一第三方账户",
    "shared_fingerprint": "同一标的多名竞买人使用同一设备或网络环境",
}


def _since(session: Session, full: bool) -> datetime | None:
    if full:
        return None
    return session.scalar(select(RiskScan.watermark).order_by(RiskScan.id.desc()).limit(1))


def scan(session: Session, *, actor: Actor, full: bool = False) -> dict[str, int]:
    """Check the lots closed since the last scan's watermark (all of them the first time or with
    ``full``); new signals enter the queue and the run is recorded. Returns new ones by kind.
    Each check is a set-based query over the scanned lots (``signals``)."""
    require(actor, perm.RISK_SCAN)
    since = _since(session, full)
    cond: list[ColumnElement[bool]] = [Lot.result.in_(("sold", "unsold"))]
    if since is not None:
        cond.append(Lot.closed_at >= since)
    scanned = select(Lot.id.label("lot_id"), Lot.listing_id).where(*cond).subquery()
    count, watermark = session.execute(select(func.count(), func.max(Lot.closed_at)).where(*cond)).one()
    found = [
        *signals.related(session, actor, scanned),
        *signals.single_at_reserve(session, scanned),
        *signals.last_second(session, scanned),
        *signals.repeat_winner(session, scanned, since is None),
        *signals.shared_payer(session, scanned),
        *signals.shared_fingerprint(session, scanned),
    ]
    new = _store(session, found)
    session.add(
        RiskScan(
            since=since,
            watermark=watermark or since,
            lots=int(count),
            new_signals=sum(new.values()),
            actor=actor.label,
        )
    )
    session.flush()
    return new


def _store(session: Session, found: list[signals.Found]) -> dict[str, int]:
    """Insert the signals not known yet (kind + subject), in one bulk statement."""
    known = {(str(k), str(s)) for k, s in session.execute(select(RiskSignal.kind, RiskSignal.subject)).all()}
    new: dict[str, int] = defaultdict(int)
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for f in found:
        subject = f.subject[:200]
        if (f.kind, subject) in known:
            continue
        known.add((f.kind, subject))
        rows.append(
            {
                "kind": f.kind,
                "subject": subject,
                "summary": f.summary[:300],
                "evidence": f.evidence,
                "institution_id": f.institution_id,
                "listing_code": f.listing_code,
                "status": "open",
                "detected_at": now,
                "reviewed_by": "",
                "review_note": "",
            }
        )
        new[f.kind] += 1
    for i in range(0, len(rows), 5000):
        session.execute(insert(RiskSignal), rows[i : i + 5000])
    return dict(new)


STATUSES = {"open": "待处理", "confirmed": "已确认", "dismissed": "已排除"}


@dataclass(frozen=True)
class RiskFilter:
    """The review queue's filters: status, kind and a listing code or words of the summary."""

    status: str = "open"
    kind: str = ""
    q: str = ""


def _queue_stmt(session: Session, actor: Actor, filters: RiskFilter) -> Select[RiskSignal]:
    require(actor, perm.RISK)
    stmt: Select[RiskSignal] = select(RiskSignal)
    if filters.status in STATUSES:
        stmt = stmt.where(RiskSignal.status == filters.status)
    if filters.kind in KINDS:
        stmt = stmt.where(RiskSignal.kind == filters.kind)
    if filters.q.strip():
        like = f"%{filters.q.strip()}%"
        stmt = stmt.where(or_(RiskSignal.listing_code.ilike(like), RiskSignal.summary.ilike(like)))
    if actor.role is Role.operator:
        own = parties.institution_of(session, actor)
        stmt = stmt.where(RiskSignal.institution_id == (own.id if own else -1))
    return stmt


def queue(session: Session, *, actor: Actor, status: str = "open") -> list[RiskSignal]:
    """Every signal in one status (an operator: its own institution's), oldest first."""
    stmt = _queue_stmt(session, actor, RiskFilter(status=status))
    return list(session.scalars(stmt.order_by(RiskSignal.id)))


def queue_page(
    session: Session, *, actor: Actor, filters: RiskFilter, page: int, page_size: int
) -> Page[RiskSignal]:
    """One page of the review queue, newest first."""
    stmt = _queue_stmt(session, actor, filters)
    count = select(func.count()).select_from(stmt.with_only_columns(RiskSignal.id).subquery())
    return paginate(session, stmt.order_by(RiskSignal.id.desc()), page=page, page_size=page_size, count=count)


def iter_queue(session: Session, *, actor: Actor, filters: RiskFilter, limit: int) -> Iterator[RiskSignal]:
    """The filtered queue for export, newest first, at most ``limit`` rows."""
    stmt = _queue_stmt(session, actor, filters).order_by(RiskSignal.id.desc()).limit(limit)
    return iter(session.scalars(stmt.execution_options(yield_per=1000)))


def review(session: Session, *, actor: Actor, signal_id: int, confirm: bool, note: str) -> RiskSignal:
    """Confirm or dismiss a signal, with a note; audited."""
    require(actor, perm.RISK_REVIEW)
    row = session.get(RiskSignal, signal_id, with_for_update=True)
    if row is None:
        raise NotFound("未找到该风险信号。", code="exchange.monitoring.signal_not_found")
    if row.status != "open":
        raise Conflict("该风险信号已处理。", code="exchange.monitoring.already_reviewed")
    row.status, row.reviewed_by, row.review_note = (
        ("confirmed" if confirm else "dismissed"),
        actor.label,
        note,
    )
    audit.record(
        session,
        actor=actor,
        action="exchange.risk.review",
        entity_type="exchange.risk_signal",
        entity_id=row.id,
        after={"类型": KINDS[row.kind], "结论": "确认" if confirm else "排除", "意见": note},
    )
    return row
