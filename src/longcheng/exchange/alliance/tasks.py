"""Job kinds of the alliance, run on schedules (``platform/data/schedules.yaml``).

* ``exchange.fee_charge`` — every ten minutes: charge the commission (佣金) of every lot sold since
  the last run, split between the listing institution and the buyer's, posted to the ledger.
  A lot whose buyer cannot pay yet is tried again next time; nothing half-written either way.
"""

from __future__ import annotations

from longcheng.exchange.alliance import fees
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER

FEE_KIND = "exchange.fee_charge"


def charge_fees(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        done, refused = fees.charge_due(session, actor=WORKER, limit=1000)
    waiting = f"；{len(refused)} 个项目买方余额不足，下次再试" if refused else ""
    ctx.progress(100, f"已收取 {len(done)} 个成交项目的佣金{waiting}")


def register_kinds() -> None:
    kinds.register(FEE_KIND, charge_fees, label="成交佣金收取与分成入账")
