"""Intel's background job kinds: ``intel.ingest`` (several files uploaded together on the web).

The upload page keeps each file content-addressed and submits one job; the handler ingests the
files one by one, each in its own unit of work (a bad file never undoes the good ones, as in
``longcheng intel ingest``), hands the new facts to their readers in the same transaction,
indexes what was stored, and keeps a per-file summary as the job's result. Ingest is
content-deduplicated, so a retried job finds the files it already stored as duplicates and
writes nothing twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core import hooks
from longcheng.core.actors import Actor
from longcheng.core.errors import LongchengError
from longcheng.intel import export
from longcheng.intel.schemas import FactFilter
from longcheng.intel.search import IndexDoc
from longcheng.intel.service import facts
from longcheng.intel.service.ingest import FileOutcome, IngestContext, ingest_data, prepare
from longcheng.intel.service.search import index_items_quietly
from longcheng.platform.jobs import exports, kinds
from longcheng.platform.jobs import service as job_service

INGEST = "intel.ingest"
EXPORT = "intel.export"
_STATUS = {"stored": "已入库", "duplicate": "重复", "skipped": "跳过"}


def ingest_files(ctx: kinds.JobContext) -> None:
    """Ingest every kept upload, report per file, keep the summary as the result."""
    files = [(Path(str(f["input"])), str(f["filename"])) for f in ctx.params.get("files", [])]
    data_dir, max_bytes = Path(str(ctx.params["data_dir"])), int(ctx.params["max_bytes"])
    with ctx.unit_of_work() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        prepared = prepare(session, actor=actor, data_dir=data_dir, max_bytes=max_bytes)
    outcomes: list[FileOutcome] = []
    docs: list[IndexDoc] = []
    for done, (path, name) in enumerate(files):
        ctx.progress(95 * done // max(len(files), 1), f"正在导入第 {done + 1}/{len(files)} 个文件：{name}")
        outcome = _one(ctx, actor, prepared, path, name)
        docs += outcome.index_docs
        outcomes.append(outcome)
    ctx.progress(95, "建立检索索引")
    index_items_quietly(data_dir, docs)
    ctx.store_result(summary(outcomes).encode(), "导入结果.txt")


def _one(ctx: kinds.JobContext, actor: Actor, prepared: IngestContext, path: Path, name: str) -> FileOutcome:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return FileOutcome(
            name, "skipped", code="jobs.input_missing", message="上传的文件已不存在，请重新上传。"
        )
    try:
        with ctx.unit_of_work() as session:
            outcome = ingest_data(session, actor=actor, ctx=prepared, data=data, name=name)
            if outcome.fact_ids:
                replies = hooks.publish(hooks.FACTS_STORED, session, actor=actor, fact_ids=outcome.fact_ids)
                outcome.project_evidence = hooks.count(replies, "project_evidence")
                outcome.project_leads = hooks.count(replies, "project_leads")
    except LongchengError as exc:
        return FileOutcome(name, "skipped", code=exc.code_text, message=exc.message_text)
    return outcome


def summary(outcomes: list[FileOutcome]) -> str:
    """One line per file, then the totals (the result people download)."""
    lines = []
    for o in outcomes:
        detail = f"文章 {o.articles} 篇，事实 {o.facts} 条" if o.status == "stored" else o.message
        lines.append(f"{o.name}：{_STATUS.get(o.status, o.status)}（{detail}）")
    stored = [o for o in outcomes if o.status == "stored"]
    duplicate = sum(o.status == "duplicate" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    articles, facts = sum(o.articles for o in stored), sum(o.facts for o in stored)
    lines.append(
        f"共 {len(outcomes)} 个文件：新入库 {len(stored)} 个（文章 {articles} 篇，事实 {facts} 条）；"
        f"重复 {duplicate} 个；跳过 {skipped} 个。"
    )
    return "\n".join(lines) + "\n"


def export_facts(ctx: kinds.JobContext) -> None:
    exports.run_export_job(ctx, _facts_workbook, filename="intel-facts.xlsx")


def _facts_workbook(session: Session, actor: Actor, params: dict[str, Any]) -> bytes:
    filters = FactFilter.model_validate(params.get("filters") or {})
    rows = facts.iter_export(session, actor=actor, filters=filters, limit=int(params["limit"]))
    return export.to_xlsx(rows)


def register_kinds() -> None:
    kinds.register(INGEST, ingest_files, label="情报文件批量导入")
    kinds.register(EXPORT, export_facts, label="情报事实导出")
