"""The registry's background job kinds: ``registry.import`` (机构批量导入, uploaded on the web).

The handler runs the same all-or-nothing import as ``longcheng registry import`` and the API
(:func:`longcheng.registry.importer.run_import`) on the stored upload; see
:mod:`longcheng.platform.jobs.imports` for the row-error report and the retry guarantee.
"""

from __future__ import annotations

from longcheng.platform.jobs import imports, kinds
from longcheng.registry import importer

IMPORT = "registry.import"


def import_orgs(ctx: kinds.JobContext) -> None:
    imports.run_import_job(ctx, importer.run_import, summary=_summary)


def _summary(report: importer.ImportReport) -> str:
    return f"导入成功：共 {report.rows} 行，新建 {report.created} 个机构。"


def register_kinds() -> None:
    kinds.register(IMPORT, import_orgs, label="机构批量导入")
