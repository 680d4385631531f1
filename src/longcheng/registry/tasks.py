"""The registry's background job kinds: ``registry.import`` (机构批量导入, uploaded on the web)
and ``registry.export`` (机构导出 above ``EXPORT_JOB_ROWS`` rows, see ``platform.jobs.exports``).

The handler runs the same all-or-nothing import as ``longcheng registry import`` and the API
(:func:`longcheng.registry.importer.run_import`) on the stored upload; see
:mod:`longcheng.platform.jobs.imports` for the row-error report and the retry guarantee.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.platform.jobs import exports, imports, kinds
from longcheng.registry import export, importer
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgFilter

IMPORT = "registry.import"
EXPORT = "registry.export"


def import_orgs(ctx: kinds.JobContext) -> None:
    imports.run_import_job(ctx, importer.run_import, summary=_summary)


def _summary(report: importer.ImportReport) -> str:
    return f"导入成功：共 {report.rows} 行，新建 {report.created} 个机构。"


def export_orgs(ctx: kinds.JobContext) -> None:
    exports.run_export_job(ctx, _workbook, filename="registry.xlsx")


def _workbook(session: Session, actor: Actor, params: dict[str, Any]) -> bytes:
    filters = OrgFilter.model_validate(params.get("filters") or {})
    rows = registry_service.iter_export(session, actor=actor, filters=filters, limit=int(params["limit"]))
    return export.to_xlsx(rows)


def register_kinds() -> None:
    kinds.register(IMPORT, import_orgs, label="机构批量导入")
    kinds.register(EXPORT, export_orgs, label="机构导出")
