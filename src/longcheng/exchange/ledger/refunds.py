"""Refunds by the original route: back to the account the money came from, within N working days.

A request moves the bidder's available money to ``refunding`` at once, so a second request
finds nothing to refund (and a pending refund is named); a platform deadline job pays it on
the due day (``exchange.refund``), or an operator marks it paid earlier.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import SHANGHAI, local_today, to_utc, utcnow
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.workdays import default_calendar
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.ledger.models import BankLine, Refund
from longcheng.exchange.rulebook import book
from longcheng.platform.schedules import service as schedules

PAY_KIND = "exchange.refund"


def request(session: Session, *, actor: Actor) -> Refund:
    """Refund all the acting bidder's available money to the account it came from."""
    require(actor, perm.REGISTER)
    bidder = parties.bidder_of(session, actor)
    pending = session.scalar(select(Refund).where(Refund.bidder_id == bidder.id, Refund.status == "pending"))
    if pending is not None:
        raise Conflict(
            f"已有一笔退款在办理中（应于 {pending.due_on.isoformat()} 前退还），请勿重复申请。",
            code="exchange.refund_pending",
        )
    amount = ledger.balance(session, pb.available(bidder.id))
    if amount <= 0:
        raise Conflict("没有可退还的保证金。", code="exchange.refund_nothing")
    source = session.scalar(
        select(BankLine)
        .where(BankLine.bidder_id == bidder.id, BankLine.status.in_(("matched", "booked")))
        .order_by(BankLine.id.desc())
    )
    if source is None:
        raise Conflict("找不到原付款账户，无法原路退还。", code="exchange.refund_no_route")
    days = int(book.load().defaults["refund_working_days"])
    due = default_calendar(allow_uncovered=True).add_working_days(local_today(), days)
    ledger.post(
        session,
        actor=actor,
        kind="refund",
        ref=f"bidder:{bidder.id}",
        entries=pb.move(pb.available(bidder.id), pb.refunding(bidder.id), amount),
    )
    refund = Refund(
        bidder_id=bidder.id,
        amount_fen=amount,
        to_name=source.payer_name,
        to_account=source.payer_account,
        due_on=due,
    )
    session.add(refund)
    session.flush()
    schedules.schedule_at(
        session,
        actor=actor,
        kind=PAY_KIND,
        params={"refund_id": refund.id},
        run_at=to_utc(datetime.combine(due, time(9, 0), tzinfo=SHANGHAI)),
        key=f"refund:{refund.id}",
    )
    return refund


def pay(session: Session, *, actor: Actor, refund_id: int) -> Refund:
    """Mark a refund paid out of the bank account (the deadline job or an operator)."""
    require(actor, perm.LEDGER_MANAGE)
    refund = session.scalar(select(Refund).where(Refund.id == refund_id).with_for_update())
    if refund is None:
        raise NotFound("未找到该退款。", code="exchange.refund_not_found")
    if refund.status == "paid":
        return refund
    ledger.post(
        session,
        actor=actor,
        kind="refund_paid",
        ref=f"refund:{refund.id}",
        entries=pb.move(pb.refunding(refund.bidder_id), pb.BANK, refund.amount_fen),
    )
    refund.status, refund.paid_at = "paid", utcnow()
    session.flush()
    return refund


def of_bidder(session: Session, bidder_id: int) -> list[Refund]:
    return list(
        session.scalars(select(Refund).where(Refund.bidder_id == bidder_id).order_by(Refund.id.desc()))
    )
