"""The chronograph: settle every lot past its deadline in one set-based transaction a tick.

One tick locks the due lots (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's write
transaction serialises writers anyway), so a bid in flight either commits first — and the lot,
its deadline perhaps moved by that bid, is read again — or waits for the close and is refused
as closed. A lot whose row a bid holds is skipped and taken by the next tick. The rest is a few
statements for all the lots together: results, listing statuses, one feed batch, one ledger
batch releasing the deposits (every account locked once, in code order), one audit batch.

It gives the same result as the per-lot deadline job (``bidding.service.close_due``), which
stays as the fallback when no closer loop runs; a batch that fails (one lot's bad money) is
retried lot by lot, so one bad lot holds up no other.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection, Sequence
from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import SHANGHAI, local_today, to_utc, utcnow
from longcheng.core.db import transaction
from longcheng.core.errors import LongchengError
from longcheng.core.workdays import default_calendar
from longcheng.exchange.auction import engine
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.ledger.models import LedgerAccount
from longcheng.exchange.listings import feed
from longcheng.exchange.listings.models import Listing, Registration

LOG = logging.getLogger("longcheng.exchange.closer")
OPEN = ("disclosure", "bidding")
BATCH = 500


def _due_rows(session: Session, now: datetime, lot_ids: Collection[int] | None) -> list[tuple[Lot, Listing]]:
    stmt = (
        select(Lot, Listing)
        .join(Listing, Listing.id == Lot.listing_id)
        .where(Lot.closed_at.is_(None), Lot.deadline <= now, Listing.status.in_(OPEN))
        .order_by(Lot.deadline, Lot.id)
        .limit(BATCH)
        .with_for_update(of=Lot, skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if lot_ids is not None:
        stmt = stmt.where(Lot.id.in_(list(lot_ids)))
    return [(lot, listing) for lot, listing in session.execute(stmt).all()]


def _sold(lot: Lot, listing: Listing) -> bool:
    state = engine.State(
        starts_at=lot.starts_at,
        free_ends_at=lot.free_ends_at,
        deadline=lot.deadline,
        price_fen=lot.price_fen,
        leader=lot.leader_no,
    )
    return engine.sold(bidding.rules_of(listing), state)


def _runner_ups(session: Session, lot_ids: Sequence[int]) -> dict[int, int]:
    """The registration of the best bid of anyone but the winner, per lot (one query)."""
    if not lot_ids:
        return {}
    rank = func.row_number().over(partition_by=LotBid.lot_id, order_by=(LotBid.amount_fen.desc(), LotBid.seq))
    ranked = (
        select(LotBid.lot_id, LotBid.registration_id, rank.label("rank"))
        .join(Lot, Lot.id == LotBid.lot_id)
        .where(LotBid.lot_id.in_(lot_ids), LotBid.registration_id != Lot.leader_reg_id)
        .subquery()
    )
    rows = session.execute(select(ranked.c.lot_id, ranked.c.registration_id).where(ranked.c.rank == 1))
    return {int(lot_id): int(reg_id) for lot_id, reg_id in rows}


def _balance_due(listing: Listing, cache: dict[int, datetime]) -> datetime:
    days = int(listing.rules["balance_working_days"])
    if days not in cache:
        day = default_calendar(allow_uncovered=True).add_working_days(local_today(), days)
        cache[days] = to_utc(datetime.combine(day, time(17, 0), tzinfo=SHANGHAI))
    return cache[days]


def _kept(session: Session, rows: Sequence[tuple[Lot, Listing]], sold: set[int]) -> set[int]:
    """Registrations whose deposit stays frozen: each winner's, and the runner-up's by rule."""
    keep = {lot.leader_reg_id for lot, _ in rows if lot.id in sold and lot.leader_reg_id is not None}
    wanting = [
        lot.id for lot, listing in rows if lot.id in sold and listing.rules.get("on_default") == "runner_up"
    ]
    keep.update(_runner_ups(session, wanting).values())
    return keep


def _release(session: Session, actor: Actor, rows: Sequence[tuple[Lot, Listing]], keep: set[int]) -> None:
    codes = {listing.id: listing.code for _, listing in rows}
    stmt = (
        select(Registration)
        .where(Registration.listing_id.in_(list(codes)), Registration.deposit == "frozen")
        .order_by(Registration.id)
    )
    regs = [r for r in session.scalars(stmt) if r.id not in keep]
    amounts = dict(
        session.execute(
            select(LedgerAccount.code, LedgerAccount.balance_fen).where(
                LedgerAccount.code.in_([pb.frozen(r.id) for r in regs])
            )
        ).all()
    )
    moves = [
        ledger.Move(
            "release",
            f"{codes[r.listing_id]}/{r.bidder_no}",
            pb.move(pb.frozen(r.id), pb.available(r.bidder_id), int(amounts[pb.frozen(r.id)])),
        )
        for r in regs
        if amounts.get(pb.frozen(r.id))
    ]
    ledger.post_many(session, actor=actor, moves=moves)
    for r in regs:
        r.deposit = "released"


def _close_change(lot: Lot, sold: bool) -> audit.Change:
    return audit.Change(
        action="exchange.lot.close",
        entity_type=bidding.ENTITY,
        entity_id=str(lot.id),
        after={
            "结果": "成交" if sold else "流拍",
            "成交价（元）": (lot.price_fen or 0) / 100 if sold else None,
            "竞买号": lot.leader_no if sold else None,
        },
    )


def close_due(
    session: Session, *, actor: Actor, now: datetime | None = None, lot_ids: Collection[int] | None = None
) -> list[int]:
    """Settle every lot (of ``lot_ids``, if given) past its deadline now; the ids closed."""
    rows = _due_rows(session, now or utcnow(), lot_ids)
    if not rows:
        return []
    at = utcnow()
    due_cache: dict[int, datetime] = {}
    sold = {lot.id for lot, listing in rows if _sold(lot, listing)}
    keep = _kept(session, rows, sold)
    changes: list[tuple[Listing, str, dict[str, object]]] = []
    for lot, listing in rows:
        won = lot.id in sold
        lot.closed_at, lot.result = at, ("sold" if won else "unsold")
        listing.status = lot.result
        if won:
            lot.settlement, lot.balance_due_on = "awaiting_payment", _balance_due(listing, due_cache)
        data = {"result": lot.result, "price_fen": lot.price_fen if won else None}
        changes.append((listing, "result", {**data, "bidder_no": lot.leader_no if won else None}))
    session.flush()
    _release(session, actor, rows, keep)
    audit.record_many(session, actor=actor, changes=[_close_change(lot, lot.id in sold) for lot, _ in rows])
    feed.emit_many(session, changes)  # the audit head first, then the feed's, as every writer does
    return [lot.id for lot, _ in rows]


def tick(factory: sessionmaker[Session], *, actor: Actor) -> int:
    """One round of the closer loop: every due lot in one transaction, or, if that batch fails,
    each lot in its own (a lot that still fails is logged and left for the next round)."""
    try:
        with transaction(factory) as session:
            return len(close_due(session, actor=actor))
    except LongchengError:
        LOG.exception("batch close failed; closing lot by lot")
    with transaction(factory) as session:
        due = [lot.id for lot, _ in _due_rows(session, utcnow(), None)]
    closed = 0
    for lot_id in due:
        with contextlib.suppress(LongchengError), transaction(factory) as session:
            closed += len(close_due(session, actor=actor, lot_ids=[lot_id]))
    return closed
