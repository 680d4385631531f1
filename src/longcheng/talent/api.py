"""JSON API under ``/api/v1/talent``: people (masked), unmasked numbers (``talent:pii``, audited),
the person's own record, imports, freshness, monthly runs, results with explanations, payments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.background import BackgroundTask

from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.openapi import ANY_FILE, Page, file_download
from longcheng.core.validation import validate
from longcheng.platform.jobs import imports, queue
from longcheng.platform.jobs import service as job_service
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.talent import importer, tasks
from longcheng.talent import permissions as perm
from longcheng.talent.schemas import (
    BankChange,
    Confirmation,
    CorrectionCreate,
    CorrectionRead,
    Freshness,
    JobStarted,
    PaymentRead,
    PersonCreate,
    PersonRead,
    PersonUpdate,
    ResultRead,
    RunRead,
    RunRequest,
    Unmasked,
)
from longcheng.talent.service import payments, people, personal, pii, runs, sources
from longcheng.talent.service.errors import PiiDenied, TalentInvalid

router = APIRouter(prefix="/api/v1/talent", tags=["人才直兑"])


def refused(error: PiiDenied) -> JSONResponse:
    """A 403 answered without raising, so the audit record of the attempt is kept."""
    return JSONResponse(error.to_dict(), status_code=error.status_code)


@router.get("/people", response_model=Page[PersonRead])
def list_people(
    request: Request, session: DbSession, actor: CurrentActor, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    """People, masked; ``q`` is a name part or an exact ID number (found through the blind index)."""
    filters = people.PersonFilter.of(request.query_params)
    found = people.list_people(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "items": [people.as_read(p) for p in found.items],
        "total": found.total,
        "page": found.page,
        "page_size": found.page_size,
    }


@router.post("/people", response_model=PersonRead, status_code=201)
def create_person(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(PersonCreate, body, code="talent.invalid")
    return people.as_read(people.create(session, actor=actor, data=data))


@router.get("/people/search", response_model=PersonRead)
def search(id_number: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Exact search by ID number through the blind index."""
    found = people.find_by_id_number(session, actor=actor, id_number=id_number)
    if found is None:
        raise NotFound("没有登记该身份证号码的人员。", code="talent.not_found")
    return people.as_read(found)


@router.get("/people/{person_id}", response_model=PersonRead)
def get_person(person_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return people.as_read(people.get(session, actor=actor, person_id=person_id))


@router.patch("/people/{person_id}", response_model=PersonRead)
def update_person(
    person_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    data = validate(PersonUpdate, body, code="talent.invalid")
    return people.as_read(people.update(session, actor=actor, person_id=person_id, data=data))


@router.get("/people/{person_id}/unmasked", response_model=Unmasked)
def unmasked(person_id: int, session: DbSession, actor: CurrentActor) -> Any:
    """The clear ID number and bank account (``talent:pii``); every view and refusal audited."""
    found = pii.reveal(session, actor=actor, person_id=person_id)
    return refused(found) if isinstance(found, PiiDenied) else found


@router.put("/people/{person_id}/bank", response_model=PersonRead)
def change_bank(
    person_id: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """Only the person may change their bank account."""
    data = validate(BankChange, body, code="talent.invalid")
    return people.as_read(personal.change_bank(session, actor=actor, person_id=person_id, data=data))


@router.get("/me", response_model=PersonRead)
def me(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return people.as_read(personal.my_record(session, actor=actor))


@router.post("/me/confirm", response_model=PersonRead)
def confirm(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    data = validate(Confirmation, body, code="talent.invalid")
    return people.as_read(personal.confirm(session, actor=actor, data=data))


@router.post("/me/corrections", response_model=CorrectionRead, status_code=201)
def ask_correction(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> Any:
    data = validate(CorrectionCreate, body, code="talent.invalid")
    return personal.ask_correction(session, actor=actor, data=data)


@router.get("/me/download", response_class=Response, responses=file_download(ANY_FILE))
def download(session: DbSession, actor: CurrentActor) -> Response:
    """The person's own record as a JSON file (their own numbers in clear; audited)."""
    data = personal.download(session, actor=actor)
    headers = {"Content-Disposition": 'attachment; filename="talent-record.json"'}
    return Response(data, media_type=ANY_FILE, headers=headers)


@router.get("/sources", response_model=Freshness)
def freshness(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    return {"sources": sources.freshness(session, actor=actor)}


@router.post("/imports/{source}", status_code=202, response_model=JobStarted)
def start_import(
    source: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File()],
) -> Response:
    """Keep the upload and queue the source's all-or-nothing import job."""
    require(actor, perm.IMPORT)
    kind = tasks.IMPORT_KINDS.get(source)
    if kind is None:
        raise TalentInvalid(
            f"未知的数据源“{source}”，可选：{'、'.join(importer.SOURCES)}。", code="talent.unknown_source"
        )
    settings = state_of(request).settings
    params = imports.keep_upload(
        file.file,
        filename=file.filename or "",
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
    )
    job = job_service.submit(session, actor=actor, kind=kind, params=params)
    return _accepted(request, job.id)


def _accepted(request: Request, job_id: int) -> Response:
    response = JSONResponse({"job": job_id}, status_code=202)
    response.background = queue_task(request, job_id)
    return response


def queue_task(request: Request, job_id: int) -> BackgroundTask:
    return BackgroundTask(queue.dispatch, state_of(request).settings, [job_id])


@router.post("/runs", status_code=202, response_model=JobStarted)
def start_run(body: dict[str, Any], request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Queue the month's 直兑 run (it refuses stale sources when it runs)."""
    require(actor, perm.RUN)
    data = validate(RunRequest, body, code="talent.invalid")
    job = job_service.submit(
        session, actor=actor, kind=tasks.MONTHLY_RUN, params=tasks.run_params(data.month)
    )
    return _accepted(request, job.id)


@router.get("/runs", response_model=list[RunRead])
def list_runs(session: DbSession, actor: CurrentActor) -> Any:
    return runs.list_runs(session, actor=actor)


@router.get("/runs/{run_id}", response_model=RunRead)
def get_run(run_id: int, session: DbSession, actor: CurrentActor) -> Any:
    return runs.get_run(session, actor=actor, run_id=run_id)


@router.get("/people/{person_id}/results", response_model=list[ResultRead])
def results(person_id: int, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    """A person's monthly results, each with the engine's explanation."""
    person = people.get(session, actor=actor, person_id=person_id)
    return [
        result_json(actor, run, res)
        for run, res in runs.results_of(session, actor=actor, person_id=person.id)
    ]


def result_json(actor: Any, run: Any, res: Any) -> dict[str, Any]:
    explanation = runs.explain_result(actor, run, res)
    return {
        "person_id": res.person_id,
        "month": run.month,
        "qualifies": res.qualifies,
        "amount": fen_to_yuan(res.amount_fen),
        "reason": explanation["reason_label"],
        "explanation": explanation,
    }


@router.get("/me/results", response_model=list[ResultRead])
def my_results(session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    """The signed-in person's monthly results with explanations."""
    person = personal.my_record(session, actor=actor)
    return [
        result_json(actor, run, res)
        for run, res in runs.results_of(session, actor=actor, person_id=person.id)
    ]


@router.get("/people/{person_id}/payments", response_model=list[PaymentRead])
def person_payments(person_id: int, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    person = people.get(session, actor=actor, person_id=person_id)
    return [payment_json(session, p) for p in payments.payments_of(session, person_id=person.id)]


def payment_json(session: Any, p: Any) -> dict[str, Any]:
    fields = ("id", "person_id", "month", "kind", "amount_fen", "currency", "status")
    return {f: getattr(p, f) for f in fields} | {"payable_status": payments.payable_status(session, p)}
