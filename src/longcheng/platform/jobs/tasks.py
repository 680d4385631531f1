"""The platform's own job kind: ``platform.demo`` (演示任务), used by the 任务中心 and the tests.

It shows the handler contract end to end: progress per step, cooperative cancel, an input file
that may have vanished, one effect keyed by the job's key (an audit record, written once even
when the job is retried) and a result file.
"""

from __future__ import annotations

import time
from pathlib import Path

from longcheng.core import audit
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER

DEMO = "platform.demo"
DEMO_ENTITY = "platform_demo"


def demo(ctx: kinds.JobContext) -> None:
    """Count ``steps`` steps of ``seconds`` each, then record completion once per key."""
    steps = max(1, min(int(ctx.params.get("steps", 5)), 10_000))
    pause = max(0.0, min(float(ctx.params.get("seconds", 0.2)), 60.0))
    source = ctx.params.get("input")
    lines = Path(str(source)).read_text("utf-8").splitlines() if source else []
    for step in range(steps):
        ctx.progress(step * 100 // steps, f"正在执行第 {step + 1}/{steps} 步")
        time.sleep(pause)
    with ctx.unit_of_work() as session:
        if not audit.history(session, entity_type=DEMO_ENTITY, entity_id=ctx.key, limit=1):
            audit.record(
                session,
                actor=WORKER,
                action="platform.demo.done",
                entity_type=DEMO_ENTITY,
                entity_id=ctx.key,
                after={"steps": steps, "lines": len(lines)},
            )
    ctx.store_result(f"演示任务完成：{steps} 步，输入 {len(lines)} 行。\n".encode(), "演示结果.txt")


def register_kinds() -> None:
    kinds.register(DEMO, demo, label="演示任务")
