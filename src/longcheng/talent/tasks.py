"""Talent's background job kinds: the three source imports and the monthly 直兑 run.

* ``talent.import_social_insurance`` / ``talent.import_degree`` / ``talent.import_employer``:
  an uploaded file, validated and written all-or-nothing (:mod:`longcheng.platform.jobs.imports`),
  row errors as the job's result file.
* ``talent.monthly_run``: scheduled on the 5th of each month (``platform/data/schedules.yaml``)
  for the month before, or started by an officer for a chosen month. The run is keyed by the
  job's key, so a retried job stores nothing twice; stale sources fail the job, naming them.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from longcheng.core.clock import local_today
from longcheng.platform.jobs import imports, kinds
from longcheng.platform.jobs import service as job_service
from longcheng.talent import importer
from longcheng.talent.service import payments, runs, sources

IMPORT_KINDS = {
    "social_insurance": "talent.import_social_insurance",
    "degree": "talent.import_degree",
    "employer": "talent.import_employer",
}
MONTHLY_RUN = "talent.monthly_run"
PUSH = "talent.push_payables"


def previous_month(today: date | None = None) -> str:
    day = today or local_today()
    return f"{day.year - 1}-12" if day.month == 1 else f"{day.year}-{day.month - 1:02d}"


def _summary(report: sources.ImportReport) -> str:
    return f"导入成功：共 {report.rows} 行，变更 {report.changed} 条。"


def _importer(source: str) -> kinds.Handler:
    def handler(ctx: kinds.JobContext) -> None:
        run = partial(sources.run_import, source=source, filename=str(ctx.params.get("filename", "")))
        imports.run_import_job(ctx, run, summary=_summary)

    return handler


def monthly_run(ctx: kinds.JobContext) -> None:
    """Evaluate every person for the month, store the run, notify, write payment lines."""
    month = str(ctx.params.get("month") or previous_month())
    ctx.progress(5, f"核验数据源并计算 {month} 青年人才生活补贴")
    with ctx.unit_of_work() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        run = runs.run_month(session, actor=actor, month=month, key=ctx.key)
        if run.payment_lines:
            job_service.submit(session, actor=actor, kind=PUSH, key=f"run:{run.id}", params={"run": run.id})
        text = (
            f"{month}：{run.population} 人参与核定，{run.qualifying} 人符合条件；"
            f"新增 {run.new_count} 人，停发 {run.stopped_count} 人。"
        )
    ctx.store_result(f"{text}\n".encode(), f"直兑核定-{month}.txt")


def push(ctx: kinds.JobContext) -> None:
    """Hand a run's payment lines to the grants ledger (all or none; retried after a budget change)."""
    with ctx.unit_of_work() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        count = payments.push_to_grants(session, actor=actor, run_id=int(ctx.params["run"]))
    ctx.store_result(f"已转入资金支付：{count} 条支付明细。\n".encode(), "转入资金支付.txt")


def run_params(month: str) -> dict[str, Any]:
    return {"month": month}


_HANDLERS = {source: _importer(source) for source in IMPORT_KINDS}


def register_kinds() -> None:
    for source, kind in IMPORT_KINDS.items():
        kinds.register(kind, _HANDLERS[source], label=f"人才数据导入：{importer.SOURCES[source]}")
    kinds.register(MONTHLY_RUN, monthly_run, label="青年人才生活补贴月度直兑")
    kinds.register(PUSH, push, label="青年人才生活补贴转入资金支付")
