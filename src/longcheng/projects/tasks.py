"""Projects' background job kinds: ``projects.report`` (月度督查专报, started from the web) and
``projects.import`` (项目批量导入: the web upload, through :mod:`longcheng.platform.jobs.imports`).

The handler gathers the month's report as the user who started it may see it, writes the XLSX
and the PDF, and keeps both (one ZIP) as the job's result, which the 任务中心 and the report
page offer for download. It writes nothing to the database but its result, so a retry is safe.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from longcheng.platform.jobs import imports, kinds
from longcheng.platform.jobs import service as job_service
from longcheng.projects import importer
from longcheng.projects.report.service import write_report
from longcheng.projects.schedule.progress import Month

REPORT = "projects.report"
IMPORT = "projects.import"


def report(ctx: kinds.JobContext) -> None:
    """Write the month's 督查专报 (XLSX and PDF) and keep them as the job's result."""
    month = Month.parse(str(ctx.params.get("month", "")))
    ctx.progress(5, f"汇总{month.label}项目数据")
    with tempfile.TemporaryDirectory() as tmp, ctx.unit_of_work() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        written = write_report(session, actor=actor, month=month, out_dir=Path(tmp))
        data = _zipped([written.xlsx, written.pdf])
    ctx.progress(95, f"已生成：{written.projects} 个项目")
    ctx.store_result(data, f"督查专报-{month}.zip")


def _zipped(files: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()


def import_projects(ctx: kinds.JobContext) -> None:
    imports.run_import_job(ctx, importer.run_import, summary=_import_summary)


def _import_summary(report: importer.ImportReport) -> str:
    codes = "、".join(report.codes[:50])
    return f"导入成功：共 {report.rows} 行，新建 {report.created} 个项目。\n项目编号：{codes}"


def register_kinds() -> None:
    kinds.register(REPORT, report, label="月度督查专报")
    kinds.register(IMPORT, import_projects, label="项目批量导入")
