"""Officers' page of policy-owned input records: the list, the upload (all or nothing) and the
XLSX template.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import ListQuery, xlsx_response
from longcheng.core.templating import render
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import start_import
from longcheng.policy import permissions as perm
from longcheng.policy import service
from longcheng.policy import tasks as policy_tasks
from longcheng.policy.engine.rules import Kind
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.models import InputRecord
from longcheng.policy.pages import money, staff_common

router = APIRouter(include_in_schema=False)


@router.get("/policy/inputs")
def inputs_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    page: int = 1,
    q: str | None = None,
    job: int | None = None,
) -> Response:
    """The records; with ``job`` (an upload started here) its inline progress, then its outcome."""
    shown = job_service.get(session, job, actor=actor) if job is not None else None
    records = input_records.list_inputs(session, actor=actor, q=q, page=page)
    return render(
        request,
        "policy/inputs.html",
        actor,
        records=records,
        report=None,
        job=shown,
        q=q or "",
        listing=ListQuery.of(request),
        **_inputs_context(),
    )


def _inputs_context() -> dict[str, Any]:
    pack = service.get_pack()
    labels = {s.name: s.label for s in pack.variables.values()}

    def value_of(record: InputRecord) -> str:
        spec = pack.variables.get(record.name)
        if spec is not None and spec.type.kind is Kind.MONEY:
            return f"{money(record.value)} 元"
        if spec is not None and spec.type.kind is Kind.BOOL:
            return "是" if record.value else "否"
        return str(record.value)

    return {
        "headers": input_records.template_headers(pack),
        "labels": labels,
        "value_of": value_of,
        **staff_common(),
    }


@router.post("/policy/inputs")
def inputs_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    """Keep the upload and hand it to the worker (``policy.inputs_import``): nothing is written here."""
    require(actor, perm.INPUT_IMPORT)
    return start_import(
        request, session, actor, kind=policy_tasks.INPUTS_IMPORT, upload=file, page="/policy/inputs"
    )


@router.get("/policy/inputs/template.xlsx")
def inputs_template(actor: CurrentActor) -> Response:
    require(actor, perm.INPUT_READ)
    return xlsx_response(input_records.template_xlsx(), "policy-inputs-template.xlsx")
