"""Job kinds of the exchange (run by the platform worker from deadline rows).

* ``exchange.close_lot`` — at a lot's deadline: close it (result, deposits), or, when bids in
  the timed period moved the deadline, set a new deadline job for the new time.
* ``exchange.refund`` — on a refund's due day: pay it by the original route.
* the ``exchange.closer`` loop — every 0.2 s in the worker: settle every lot past its deadline
  in one set-based transaction (the per-lot job above is the fallback).
* ``exchange.demo_bots`` — demo only: bots bid on the live demo lots, then re-schedule themselves.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from longcheng.exchange import closing, demo
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.ledger import refunds
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER


def close_lot(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        closed = bidding.close_due(session, actor=WORKER, lot_id=int(str(ctx.params["lot_id"])))
    ctx.progress(100, "竞价已结束并生成结果" if closed else "竞价仍在进行，已按新的截止时间重新排期")


def pay_refund(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        refund = refunds.pay(session, actor=WORKER, refund_id=int(str(ctx.params["refund_id"])))
    ctx.progress(100, f"已原路退还 {refund.amount_fen / 100:,.2f} 元")


def demo_bots(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        live = demo.bot_round(session, actor=WORKER)
    ctx.progress(100, f"演示机器人已在 {live} 个竞价中的项目报价" if live else "没有竞价中的演示项目")


CLOSER_INTERVAL_S = 0.2


def closer_round(sessions: sessionmaker[Session]) -> int:
    return closing.tick(sessions, actor=WORKER)


def register_kinds() -> None:
    kinds.register(bidding.CLOSE_KIND, close_lot, label="竞价场次到时结束")
    kinds.register(refunds.PAY_KIND, pay_refund, label="保证金原路退还")
    kinds.register(demo.BOTS_KIND, demo_bots, label="演示竞价机器人报价")
    kinds.register_loop(
        "exchange.closer", closer_round, interval=CLOSER_INTERVAL_S, label="竞价场次到时结束（秒级）"
    )
