"""Job kinds of process monitoring, run on schedules (``platform/data/schedules.yaml``).

* ``exchange.rollup_refresh`` — rebuild the dashboard's rollup from every closed lot (every
  five minutes), so no dashboard request pays for it.
* ``exchange.risk_scan`` — the incremental risk scan of the lots closed since the last scan
  (hourly, at minute 20); new signals go to the review queue.
"""

from __future__ import annotations

from longcheng.exchange.monitoring import risk, rollup
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER

REFRESH_KIND = "exchange.rollup_refresh"
SCAN_KIND = "exchange.risk_scan"


def refresh_rollup(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        cells = rollup.refresh(session)
    ctx.progress(100, f"监测汇总已更新：{cells} 个统计单元")


def scan_risks(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        found = risk.scan(session, actor=WORKER, full=bool(ctx.params.get("full", False)))
    total = sum(found.values())
    ctx.progress(
        100, f"风险扫描完成，新增风险信号 {total} 条" if total else "风险扫描完成，未发现新的风险信号"
    )


def register_kinds() -> None:
    kinds.register(REFRESH_KIND, refresh_rollup, label="联盟监测汇总更新")
    kinds.register(SCAN_KIND, scan_risks, label="交易风险扫描")
