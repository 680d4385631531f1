"""Policy's background job kinds: ``policy.batch`` (全市批量测算, started from the web) and
``policy.inputs_import`` (政策数据导入: the web upload, see :mod:`longcheng.platform.jobs.imports`).

The handler does what :func:`~longcheng.policy.runs.service.run_registry_batch` does, in three
short steps so its progress can be written while it runs: read the registry (a read-only
session, no write lock), evaluate every clause (no transaction, progress per clause), then store the run, its
notifications and a record keyed by the job's key (one unit of work). A retried job whose run
was stored finds that record and stores nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.platform.jobs import exports, imports, kinds
from longcheng.platform.jobs import service as job_service
from longcheng.policy import export
from longcheng.policy import permissions as perm
from longcheng.policy.engine.batch import evaluate_columns
from longcheng.policy.inputs.service.records import InputReport, run_import
from longcheng.policy.inputs.service.sources import load_population
from longcheng.policy.runs import service as run_service
from longcheng.policy.runs.service import require_city_wide, store_run
from longcheng.policy.schemas import ChangeFilter
from longcheng.policy.service import get_pack, year_period

BATCH = "policy.batch"
BATCH_ENTITY = "policy_batch_job"
INPUTS_IMPORT = "policy.inputs_import"
RUN_EXPORT = "policy.run_export"


def batch_params(*, year: str, readings: Mapping[str, str], notify: bool) -> dict[str, Any]:
    return {"year": year, "readings": dict(readings), "notify": notify}


def run_of_job(session: Session, key: str) -> int | None:
    """The run a ``policy.batch`` job stored (None while it has not)."""
    found = audit.history(session, entity_type=BATCH_ENTITY, entity_id=key, limit=1)
    if not found:
        return None
    run_id = found[0].diff_data.get("run", [None, None])[1]
    return int(run_id) if run_id is not None else None


def batch(ctx: kinds.JobContext) -> None:
    """Evaluate every enterprise of the registry for the year and store the run (once per key)."""
    params = ctx.params
    readings = {str(k): str(v) for k, v in dict(params.get("readings") or {}).items()}
    ctx.progress(0, "读取企业库")
    with ctx.reading() as session:
        if run_of_job(session, ctx.key) is not None:
            return
        actor = job_service.actor_of(session, ctx.started_by)
        require_city_wide(actor, perm.RUN_CREATE)
        pack = get_pack(params.get("pack"))
        period = year_period(pack, params.get("year"))
        population = load_population(session, actor=actor, pack=pack, year=period.year)
    clauses = pack.clauses_for("enterprise", period.kind)
    done = iter(range(1, len(clauses) + 1))
    ctx.progress(10, f"计算条款（共 {len(clauses)} 条，{len(population)} 家企业）")
    result = evaluate_columns(
        pack,
        population.columns,
        period,
        readings=readings,
        skip_missing=True,
        on_clause=lambda _c: _clause_done(ctx, next(done), len(clauses)),
    )
    ctx.progress(90, "保存符合名单并比较上次测算")
    with ctx.unit_of_work() as session:
        run = store_run(
            session,
            actor=actor,
            result=result,
            labels=(population.names, population.districts),
            source="registry",
            source_label="企业库",
            notify=bool(params.get("notify", True)),
        )
        audit.record(
            session,
            actor=actor,
            action="policy.batch.job",
            entity_type=BATCH_ENTITY,
            entity_id=ctx.key,
            after={"run": run.id, "job": ctx.job_id},
        )


def _clause_done(ctx: kinds.JobContext, done: int, total: int) -> None:
    ctx.progress(10 + 80 * done // max(total, 1), f"计算条款 {done}/{total}")


def import_inputs(ctx: kinds.JobContext) -> None:
    imports.run_import_job(ctx, run_import, summary=_inputs_summary)


def _inputs_summary(report: InputReport) -> str:
    return f"导入成功：共 {report.rows} 行，已写入 {report.written} 家企业的年度数据。"


def run_export(ctx: kinds.JobContext) -> None:
    exports.run_export_job(
        ctx, _changes_workbook, filename=f"policy-run-{ctx.params.get('run_id')}-notifications.xlsx"
    )


def _changes_workbook(session: Session, actor: Actor, params: dict[str, Any]) -> bytes:
    run = run_service.get_run(session, actor=actor, run_id=int(params["run_id"]))
    filters = ChangeFilter.model_validate(params.get("filters") or {})
    rows = run_service.iter_changes(
        session, actor=actor, run=run, filters=filters, limit=int(params["limit"])
    )
    return export.changes_xlsx(run, rows)


def register_kinds() -> None:
    kinds.register(BATCH, batch, label="全市批量测算")
    kinds.register(INPUTS_IMPORT, import_inputs, label="政策数据导入")
    kinds.register(RUN_EXPORT, run_export, label="精准推送名单导出")
