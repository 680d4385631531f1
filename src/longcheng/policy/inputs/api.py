"""JSON API of policy-owned input records under ``/api/v1/policy/inputs``: the XLSX template and
the all-or-nothing import (``import_upload`` is shared with the inputs page).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.listing import xlsx_response
from longcheng.core.openapi import XLSX, ImportReportRead, file_download, rows_refused
from longcheng.policy import permissions as perm
from longcheng.policy.api import API_PREFIX, API_TAGS
from longcheng.policy.inputs.service import records as input_records

router = APIRouter(prefix=API_PREFIX, tags=API_TAGS)


class InputsImportRead(ImportReportRead):
    written: int


@router.get("/inputs/template.xlsx", response_class=Response, responses=file_download(XLSX))
def inputs_template(actor: CurrentActor) -> Response:
    require(actor, perm.INPUT_READ)
    return xlsx_response(input_records.template_xlsx(), "policy-inputs-template.xlsx")


def import_upload(
    request: Request, session: DbSession, actor: CurrentActor, upload: UploadFile
) -> input_records.InputReport:
    """Run an uploaded file through the all-or-nothing input import (API and page)."""
    with uploaded_file(request, upload) as path:
        return input_records.run_import(
            session, actor=actor, path=path, max_bytes=state_of(request).settings.max_upload_bytes
        )


@router.post("/inputs/import", response_model=InputsImportRead)
def import_inputs(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    report = import_upload(request, session, actor, file)
    body: dict[str, Any] = {
        "ok": report.ok,
        "rows": report.rows,
        "written": report.written,
        "error_count": report.error_count,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
    }
    if report.ok:
        return JSONResponse(body)
    return JSONResponse(rows_refused(body, code="policy.import_rows"), status_code=422)
