"""Officers' pages under ``/talent``: the people list and export, a person's record (masked; the
clear numbers for ``talent:pii`` holders, audited), registration, data sources, runs, dashboard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core import charts
from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import start_import, started
from longcheng.registry import reference
from longcheng.talent import export, importer, tasks
from longcheng.talent import permissions as perm
from longcheng.talent.schemas import (
    DEGREE_LABELS,
    HOUSING_LABELS,
    BankChange,
    Confirmation,
    CorrectionCreate,
    PersonCreate,
    PersonUpdate,
    RunRequest,
)
from longcheng.talent.service import dashboard as dash
from longcheng.talent.service import employers, payments, people, personal, pii, runs, sources
from longcheng.talent.service.errors import PiiDenied, TalentInvalid

router = APIRouter(include_in_schema=False)


def common() -> dict[str, Any]:
    """What every talent page's template uses: labels, places and the permission names."""
    return {
        "perm": perm,
        "degrees": DEGREE_LABELS,
        "housing_labels": HOUSING_LABELS,
        "districts": reference.districts(),
        "place_name": reference.place_name,
        "source_labels": importer.SOURCES,
        "columns": importer.COLUMNS,
        "kind_labels": payments.KIND_LABELS,
        "recovery_labels": payments.RECOVERY_LABELS,
        "reason_label": runs.reason_label,
    }


@router.get("/talent")
def people_page(request: Request, session: DbSession, actor: CurrentActor, paging: Paging) -> Response:
    filters = people.PersonFilter.of(request.query_params)
    found = people.list_people(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request, actor, "talent/people.html", "talent/_people.html", found, filters, **common()
    )


@router.get("/talent/people.xlsx")
def people_export(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    filters = people.PersonFilter.of(request.query_params)
    data = export.people_xlsx(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(data, "人才名单.xlsx")


@router.get("/talent/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.EDIT)
    return render(request, "talent/new.html", actor, **common())


def _form_dict(form: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {k: (str(form.get(k)).strip() or None) for k in fields if form.get(k) is not None}


@router.post("/talent/new")
async def create(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    fields = (
        "name",
        "id_number",
        "degree",
        "school",
        "graduation_date",
        "employer_uscc",
        "start_date",
        "housing",
    )
    data = validate(PersonCreate, _form_dict(form, fields), code="talent.invalid")
    person = people.create(session, actor=actor, data=data)
    return RedirectResponse(f"/talent/people/{person.id}", status_code=303)


def _with_status(session: DbSession, person_id: int) -> list[tuple[Any, str]]:
    return [
        (p, payments.payable_status(session, p)) for p in payments.payments_of(session, person_id=person_id)
    ]


def _person_page(request: Request, session: DbSession, actor: Any, person_id: int, **extra: Any) -> Response:
    person = people.get(session, actor=actor, person_id=person_id)
    results = [
        (run, res, runs.explain_result(actor, run, res))
        for run, res in runs.results_of(session, actor=actor, person_id=person.id)[:12]
    ]
    return render(
        request,
        "talent/person.html",
        actor,
        person=person,
        results=results,
        payments=_with_status(session, person.id),
        recoveries=payments.recoveries_of(session, person_id=person.id),
        corrections=personal.corrections(session, actor=actor, person_id=person.id),
        may_unmask=perm.may_unmask(session, actor),
        records=people.history(session, actor=actor, person=person),
        **extra,
        **common(),
    )


@router.get("/talent/people/{person_id}")
def person_page(request: Request, session: DbSession, actor: CurrentActor, person_id: int) -> Response:
    return _person_page(request, session, actor, person_id, clear=None)


@router.post("/talent/people/{person_id}/unmask")
def unmask(request: Request, session: DbSession, actor: CurrentActor, person_id: int) -> Response:
    """The record with the clear numbers; without ``talent:pii`` a 403 page (the attempt audited)."""
    found = pii.reveal(session, actor=actor, person_id=person_id)
    if isinstance(found, PiiDenied):
        return render(
            request,
            "error.html",
            actor,
            status=403,
            title="没有权限",
            message=found.message_text,
            code=found.code_text,
            fields=[],
        )
    return _person_page(request, session, actor, person_id, clear=found)


@router.post("/talent/people/{person_id}/edit")
async def edit(request: Request, session: DbSession, actor: CurrentActor, person_id: int) -> Response:
    form = await request.form()
    fields = (
        "name",
        "degree",
        "school",
        "graduation_date",
        "employer_uscc",
        "start_date",
        "left_date",
        "housing",
    )
    data = validate(PersonUpdate, _form_dict(form, fields), code="talent.invalid")
    people.update(session, actor=actor, person_id=person_id, data=data)
    return RedirectResponse(f"/talent/people/{person_id}", status_code=303)


@router.post("/talent/corrections/{correction_id}")
async def decide_correction(
    request: Request, session: DbSession, actor: CurrentActor, correction_id: int
) -> Response:
    form = await request.form()
    row = personal.decide_correction(
        session,
        actor=actor,
        correction_id=correction_id,
        status=str(form.get("status") or ""),
        answer=str(form.get("answer") or ""),
    )
    return RedirectResponse(f"/talent/people/{row.person_id}", status_code=303)


@router.get("/talent/sources")
def sources_page(
    request: Request, session: DbSession, actor: CurrentActor, job: int | None = None
) -> Response:
    rows = sources.freshness(session, actor=actor)
    return render(request, "talent/sources.html", actor, rows=rows, job=job, **common())


@router.post("/talent/sources/{source}")
def upload(
    request: Request, session: DbSession, actor: CurrentActor, source: str, file: UploadFile = File()
) -> Response:
    require(actor, perm.IMPORT)
    kind = tasks.IMPORT_KINDS.get(source)
    if kind is None:
        raise TalentInvalid(f"未知的数据源“{source}”。", code="talent.unknown_source")
    back = "/talent/employer" if actor.role.value == "enterprise" else "/talent/sources"
    return start_import(request, session, actor, kind=kind, upload=file, page=back)


@router.get("/talent/runs")
def runs_page(request: Request, session: DbSession, actor: CurrentActor, job: int | None = None) -> Response:
    found = runs.list_runs(session, actor=actor)
    stale = {r.month: sources.stale_for(session, r.month) for r in found[:1]}
    return render(
        request,
        "talent/runs.html",
        actor,
        runs=found,
        job=job,
        stale=stale,
        default_month=tasks.previous_month(),
        **common(),
    )


@router.post("/talent/runs")
def start_run(request: Request, session: DbSession, actor: CurrentActor, month: str = Form()) -> Response:
    require(actor, perm.RUN)
    data = validate(RunRequest, {"month": month}, code="talent.invalid")
    job = job_service.submit(
        session, actor=actor, kind=tasks.MONTHLY_RUN, params=tasks.run_params(data.month)
    )
    return started(request, job, to=f"/talent/runs?job={job.id}")


@router.get("/talent/dashboard")
def dashboard_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    board = dash.dashboard(session, actor=actor)
    specs = {
        "district": charts.bar_chart(
            "各区发放金额（元）",
            [r[0] for r in board.by_district],
            [r[2] // 100 for r in board.by_district],
            unit="元",
        ),
        "degree": charts.pie_chart(
            "按学历人数", [r[0] for r in board.by_degree], [r[1] for r in board.by_degree]
        ),
        "industry": charts.bar_chart(
            "按用人单位行业金额（元）",
            [r[0] for r in board.by_industry],
            [r[2] // 100 for r in board.by_industry],
            unit="元",
        ),
    }
    return render(request, "talent/dashboard.html", actor, board=board, charts=specs, **common())


# -- the person's own page ---------------------------------------------------------------------
@router.get("/talent/me")
def me_page(request: Request, session: DbSession, actor: CurrentActor, done: str = "") -> Response:
    person = personal.my_record(session, actor=actor)
    results = [
        (run, res, runs.explain_result(actor, run, res))
        for run, res in runs.results_of(session, actor=actor, person_id=person.id)[:12]
    ]
    return render(
        request,
        "talent/me.html",
        actor,
        person=person,
        results=results,
        payments=_with_status(session, person.id),
        corrections=personal.corrections(session, actor=actor),
        done=done,
        **common(),
    )


@router.get("/talent/me/download")
def me_download(session: DbSession, actor: CurrentActor) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="talent-record.json"'}
    return Response(personal.download(session, actor=actor), media_type="application/json", headers=headers)


@router.post("/talent/me/confirm")
async def me_confirm(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    data = validate(Confirmation, _form_dict(form, ("id_number", "bank_account")), code="talent.invalid")
    personal.confirm(session, actor=actor, data=data)
    return RedirectResponse("/talent/me?done=confirmed", status_code=303)


@router.post("/talent/me/bank")
async def me_bank(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    data = validate(BankChange, _form_dict(form, ("bank_account",)), code="talent.invalid")
    person = personal.my_record(session, actor=actor)
    personal.change_bank(session, actor=actor, person_id=person.id, data=data)
    return RedirectResponse("/talent/me?done=bank", status_code=303)


@router.post("/talent/me/corrections")
async def me_correction(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    data = validate(CorrectionCreate, _form_dict(form, ("field", "requested", "note")), code="talent.invalid")
    personal.ask_correction(session, actor=actor, data=data)
    return RedirectResponse("/talent/me?done=correction", status_code=303)


# -- the employer's page -----------------------------------------------------------------------
@router.get("/talent/employer")
def employer_page(
    request: Request, session: DbSession, actor: CurrentActor, job: int | None = None
) -> Response:
    rows = employers.employees_of(session, actor=actor)
    return render(request, "talent/employer.html", actor, rows=rows, job=job, **common())


@router.post("/talent/employer/{employment_id}/confirm")
def employer_confirm(session: DbSession, actor: CurrentActor, employment_id: int) -> Response:
    employers.confirm(session, actor=actor, employment_id=employment_id)
    return RedirectResponse("/talent/employer", status_code=303)
