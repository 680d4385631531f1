"""Pages of the expert pool (list, export, create, edit, import) and of a reviewer's items."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.forms import render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.tabular import parse_date_cell
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.experts import export, importer
from longcheng.experts import permissions as perm
from longcheng.experts import service as experts_service
from longcheng.experts.engine import rubric, taxonomy
from longcheng.experts.models import STATUS_LABELS, Expert
from longcheng.experts.schemas import DeclareIn, ExpertFilter, ExpertIn, ScoreIn

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ExpertFilter, Depends()]
TEXT_FIELDS = (
    "name",
    "resident_id",
    "title",
    "employer_name",
    "employer_uscc",
    "phone",
    "email",
    "status",
    "substitute_code",
    "username",
    "note",
)


def choices() -> dict[str, Any]:
    tax = taxonomy.default()
    return {
        "field_options": [(f.code, f.label) for f in tax.fields],
        "field_labels": tax.labels(),
        "status_options": list(STATUS_LABELS.items()),
    }


def _former_lines(text: str) -> list[dict[str, Any]]:
    out = []
    for line in (ln.strip() for ln in text.splitlines()):
        if line:
            uscc, _, ended = line.partition("@")
            try:
                day = parse_date_cell(ended.strip())
            except ValueError as exc:
                raise ValidationFailed(
                    str(exc), code="experts.invalid", details={"former_employers": str(exc)}
                ) from None
            out.append({"uscc": uscc.strip(), "ended_on": day})
    return out


def _values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {k: str(form.get(k) or "") for k in TEXT_FIELDS}
    values["fields"] = [str(v) for v in form.getlist("fields")]
    values["former_text"] = str(form.get("former_text") or "")
    return values


def _data(values: dict[str, Any]) -> ExpertIn:
    body = {k: v for k, v in values.items() if k != "former_text" and v not in ("", None)}
    body["fields"] = values["fields"]
    body["former_employers"] = _former_lines(values["former_text"])
    return validate(ExpertIn, body, code="experts.invalid")


def _form_values(e: Expert) -> dict[str, Any]:
    return {
        "name": e.name,
        "title": e.title,
        "employer_name": e.employer_name,
        "employer_uscc": e.employer_uscc or "",
        "phone": e.phone,
        "email": e.email,
        "status": e.status,
        "note": e.note,
        "fields": e.fields,
        "former_text": "\n".join(
            f"{f.uscc}@{f.ended_on.isoformat() if f.ended_on else ''}" for f in e.former_employers
        ),
    }


@router.get("/experts")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = experts_service.list_experts(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request, actor, "experts/list.html", "experts/_table.html", result, filters, **choices()
    )


@router.get("/experts/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = experts_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(export.to_xlsx(rows), "experts.xlsx")


@router.get("/experts/template.xlsx")
def template_page(actor: CurrentActor) -> Response:
    require(actor, perm.IMPORT)
    return xlsx_response(export.template_xlsx(), "experts-template.xlsx")


@router.get("/experts/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.MANAGE)
    return render_form(
        request,
        actor,
        "experts/form.html",
        expert=None,
        values={"fields": [], "status": "active"},
        **choices(),
    )


@router.post("/experts/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = _values(await request.form())
    try:
        expert = experts_service.create(session, actor=actor, data=_data(values))
    except LongchengError as exc:
        return render_refused(
            request, session, actor, "experts/form.html", exc, values=values, expert=None, **choices()
        )
    return RedirectResponse(f"/experts/{expert.id}", status_code=303)


@router.get("/experts/import")
def import_page(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.IMPORT)
    return render(request, "experts/import.html", actor, report=None, created=0, headers=export.HEADERS[1:])


@router.post("/experts/import")
def import_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    max_bytes = state_of(request).settings.max_upload_bytes
    with uploaded_file(request, file) as path:
        created, report = importer.import_file(session, actor=actor, path=path, max_bytes=max_bytes)
    status = 200 if report.ok else 422
    return render(
        request,
        "experts/import.html",
        actor,
        status=status,
        report=report,
        created=created,
        headers=export.HEADERS[1:],
    )


@router.get("/experts/reviews")
def my_reviews(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    items = experts_service.my_assignments(session, actor=actor)
    return render(request, "experts/reviews.html", actor, items=items)


@router.get("/experts/reviews/{context}/{ref}")
def review_page(
    context: str, ref: str, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    signed = experts_service.declared(session, actor=actor, context=context, ref=ref)
    rub = rubric.rubrics()["standard"]
    return render(
        request,
        "experts/review.html",
        actor,
        context=context,
        ref=ref,
        signed=signed,
        rubric=rub,
        errors={},
        message="",
    )


@router.post("/experts/reviews/{context}/{ref}/declare")
async def declare_page(
    context: str, ref: str, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    form = await request.form()
    data = validate(
        DeclareIn,
        {"has_conflict": form.get("has_conflict") == "yes", "statement": str(form.get("statement") or "")},
        code="experts.invalid",
    )
    experts_service.declare(session, actor=actor, context=context, ref=ref, data=data)
    return RedirectResponse(f"/experts/reviews/{context}/{ref}", status_code=303)


@router.post("/experts/reviews/{context}/{ref}/score")
async def score_page(
    context: str, ref: str, request: Request, session: DbSession, actor: CurrentActor
) -> Response:
    form = await request.form()
    rub = rubric.rubrics()["standard"]
    try:
        scores = {c.code: int(str(form.get(c.code) or "").strip()) for c in rub.criteria}
    except ValueError:
        raise ValidationFailed("评分须为整数。", code="experts.score_not_integer") from None
    data = validate(
        ScoreIn,
        {"rubric": rub.code, "scores": scores, "comment": str(form.get("comment") or "")},
        code="experts.invalid",
    )
    experts_service.score(session, actor=actor, context=context, ref=ref, data=data)
    return RedirectResponse("/experts/reviews", status_code=303)


@router.get("/experts/{expert_id}")
def detail_page(expert_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    expert = experts_service.get(session, actor=actor, expert_id=expert_id)
    return render(request, "experts/detail.html", actor, expert=expert, **choices())


@router.get("/experts/{expert_id}/edit")
def edit_page(expert_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.MANAGE)
    expert = experts_service.get(session, actor=actor, expert_id=expert_id)
    return render_form(
        request, actor, "experts/form.html", expert=expert, values=_form_values(expert), **choices()
    )


@router.post("/experts/{expert_id}/edit")
async def edit_submit(expert_id: int, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    values = _values(form)
    expert = experts_service.get(session, actor=actor, expert_id=expert_id)
    try:
        version = int(str(form.get("version") or expert.version))
        experts_service.update(session, actor=actor, expert_id=expert_id, data=_data(values), version=version)
    except LongchengError as exc:
        return render_refused(
            request, session, actor, "experts/form.html", exc, values=values, expert=expert, **choices()
        )
    return RedirectResponse(f"/experts/{expert_id}", status_code=303)
