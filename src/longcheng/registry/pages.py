"""Pages of the registry: dashboard, list (HTMX partial updates), detail, forms and import."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core import hooks
from longcheng.core.auth import require
from longcheng.core.charts import bar_chart
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, kept_rows, query_model, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.platform.jobs import exports
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import start_import
from longcheng.registry import export, importer, query, template
from longcheng.registry import permissions as perm
from longcheng.registry import reference as ref
from longcheng.registry import service as registry_service
from longcheng.registry import tasks as registry_tasks
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import FactCreate, OrgCreate, OrgFilter, OrgUpdate, TagCreate

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[OrgFilter, Depends(query_model(OrgFilter))]
FORM_FIELDS = (
    "uscc",
    "name",
    "former_names",
    "org_type",
    "district",
    "park",
    "industry",
    "established",
    "address",
    "version",
)


@cache
def _industries() -> tuple[list[ref.Industry], list[tuple[str, str]]]:
    industries = [i for i in ref.industries().values() if i.code.isdigit()]
    return industries, [(i.code, f"{i.code} {i.name}") for i in industries]


@cache
def _tag_options() -> list[tuple[str, str]]:
    return [(code, t.label) for code, t in ref.tag_types().items()]


def choices() -> dict[str, Any]:
    """Everything a filter bar or a form offers, with Chinese labels; the same lists on every
    request (their ``<option>`` tags are kept: see core.options)."""
    industries, industry_options = _industries()
    return {
        "districts": ref.districts(),
        "zones": ref.zones(),
        "org_types": ref.org_types(),
        "tag_types": ref.tag_types(),
        "tag_options": _tag_options(),
        "levels": ref.levels(),
        "fact_kinds": ref.fact_kinds(),
        "industries": industries,
        "industry_options": industry_options,
        "place_name": ref.place_name,
        "industry_name": ref.industry_name,
        "tag_labels": export.valid_tag_labels,
    }


@router.get("/")
def dashboard(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    by_district = registry_service.counts_by_district(session, actor=actor)
    by_tag = registry_service.counts_by_tag(session, actor=actor)
    tags = ref.tag_types()
    return render(
        request,
        "registry/dashboard.html",
        actor,
        total=sum(n for _, n in by_district),
        by_district=[(ref.place_name(d) or "未填写", n) for d, n in by_district],
        by_tag=[(tags[t].label if t in tags else t, n) for t, n in by_tag],
        district_chart=bar_chart(
            "各区机构数",
            [ref.place_name(d) or "未填写" for d, _ in by_district],
            [n for _, n in by_district],
        ),
        tag_chart=bar_chart(
            "有效企业标签", [tags[t].label if t in tags else t for t, _ in by_tag], [n for _, n in by_tag]
        ),
    )


@router.get("/registry")
def list_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: FilterDep,
    paging: Paging,
) -> Response:
    found = registry_service.list_org_ids(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    listed = choices()

    def load(ids: Sequence[int]) -> list[Organisation]:
        return registry_service.orgs_by_ids(session, actor=actor, ids=ids, with_tags=True)

    rows = kept_rows(request, session, "registry/_rows.html", found, load, stamps=query.STAMPS, **listed)
    return render_list(
        request, actor, "registry/list.html", "registry/_table.html", found, filters, rows_html=rows, **listed
    )


@router.get("/registry/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    """Exactly the filtered rows; above ``EXPORT_JOB_ROWS`` a ``registry.export`` job builds the file."""
    require(actor, perm.ORG_EXPORT)
    bare = registry_service.list_orgs(session, actor=actor, filters=filters, page_size=1)
    total = bare.total
    if exports.too_many(request, total):
        params = {"filters": filters.model_dump(mode="json")}
        return exports.start_export(
            request, session, actor, kind=registry_tasks.EXPORT, params=params, rows=total
        )
    rows = registry_service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(export.to_xlsx(rows), "registry.xlsx")


@router.get("/registry/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    if not perm.can_create(actor):
        raise LongchengError("您没有新建机构的权限。", code="forbidden", status=403)
    return render_form(request, actor, "registry/form.html", org=None, **choices())


@router.post("/registry/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), FORM_FIELDS)
    try:
        org = registry_service.create(
            session, actor=actor, data=validate(OrgCreate, values, code="registry.invalid")
        )
    except ValidationFailed as exc:
        return render_refused(
            request, session, actor, "registry/form.html", exc, values=values, org=None, **choices()
        )
    return RedirectResponse(f"/registry/{org.uscc}", status_code=303)


@router.get("/registry/import")
def import_page(
    request: Request, session: DbSession, actor: CurrentActor, job: int | None = None
) -> Response:
    """The upload form; with ``job`` the import job's inline progress, then its outcome."""
    require(actor, perm.ORG_IMPORT)
    shown = job_service.get(session, job, actor=actor) if job is not None else None
    return render(request, "registry/import.html", actor, report=None, job=shown, headers=importer.HEADERS)


@router.post("/registry/import")
def import_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    """Keep the upload and hand it to the worker (``registry.import``): nothing is written here."""
    require(actor, perm.ORG_IMPORT)
    return start_import(
        request, session, actor, kind=registry_tasks.IMPORT, upload=file, page="/registry/import"
    )


@router.get("/registry/template.xlsx")
def template_download(actor: CurrentActor) -> Response:
    require(actor, perm.ORG_IMPORT)
    return xlsx_response(template.template_xlsx(), "registry-template.xlsx")


@router.get("/registry/{uscc}")
def detail_page(uscc: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    records = registry_service.history(session, actor=actor, org=org)
    sections = hooks.profile_sections(session, actor, org.uscc)
    people = registry_service.people_of(session, actor=actor, uscc=org.uscc)
    return render(
        request,
        "registry/detail.html",
        actor,
        org=org,
        people=people,
        records=records,
        sections=sections,
        errors={},
        **choices(),
    )


@router.get("/registry/{uscc}/edit")
def edit_page(uscc: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    require(actor, perm.ORG_UPDATE, org)
    values = {**org.audit_view(), "former_names": "；".join(org.former_name_list), "version": org.version}
    return render_form(request, actor, "registry/form.html", values=values, org=org, **choices())


@router.post("/registry/{uscc}/edit")
async def edit_submit(uscc: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    values = form_values(form, FORM_FIELDS)
    reason = str(form.get("reason") or "")
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    try:
        data = validate(OrgUpdate, {k: v for k, v in values.items() if k != "uscc"}, code="registry.invalid")
        registry_service.update(session, actor=actor, uscc=uscc, data=data, reason=reason)
    except ValidationFailed as exc:
        return render_refused(
            request, session, actor, "registry/form.html", exc, values=values, org=org, **choices()
        )
    return RedirectResponse(f"/registry/{uscc}", status_code=303)


@router.post("/registry/{uscc}/tags")
def add_tag_page(
    uscc: str,
    session: DbSession,
    actor: CurrentActor,
    tag: Annotated[str, Form()],
    valid_from: Annotated[str, Form()],
    level: Annotated[str, Form()] = "",
    valid_to: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
) -> Response:
    data = validate(
        TagCreate,
        {
            "tag": tag,
            "level": level,
            "valid_from": valid_from,
            "valid_to": valid_to or None,
            "source": source,
        },
        code="registry.invalid",
    )
    registry_service.add_tag(session, actor=actor, uscc=uscc, data=data)
    return RedirectResponse(f"/registry/{uscc}", status_code=303)


@router.post("/registry/{uscc}/facts")
def add_fact_page(
    uscc: str,
    session: DbSession,
    actor: CurrentActor,
    kind: Annotated[str, Form()],
    year: Annotated[str, Form()],
    value: Annotated[str, Form()],
    source: Annotated[str, Form()],
) -> Response:
    fen_or_count = importer.fact_value(kind, value)
    data = validate(
        FactCreate,
        {"kind": kind, "year": year, "value": fen_or_count, "source": source},
        code="registry.invalid",
    )
    registry_service.add_fact(session, actor=actor, uscc=uscc, data=data)
    return RedirectResponse(f"/registry/{uscc}", status_code=303)
