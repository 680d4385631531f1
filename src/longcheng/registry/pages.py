"""Pages of the registry: dashboard, list (HTMX partial updates), detail, forms and import."""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from markupsafe import Markup, escape
from starlette.responses import Response

from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.registry import export, importer
from longcheng.registry import permissions as perm
from longcheng.registry import reference as ref
from longcheng.registry import service as registry_service
from longcheng.registry.api import import_upload
from longcheng.registry.schemas import FactCreate, OrgCreate, OrgFilter, OrgUpdate, TagCreate

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[OrgFilter, Depends()]


def choices() -> dict[str, Any]:
    """Everything a filter bar or a form offers, with Chinese labels."""
    return {
        "districts": ref.districts(),
        "zones": ref.zones(),
        "org_types": ref.org_types(),
        "tag_types": ref.tag_types(),
        "levels": ref.levels(),
        "fact_kinds": ref.fact_kinds(),
        "industries": [i for i in ref.industries().values() if i.code.isdigit()],
        "place_name": export.place_name,
        "industry_name": export.industry_name,
        "tag_labels": export.valid_tag_labels,
        "filter_options": filter_options,
    }


SORTS = [
    ("name", "名称↑"),
    ("-name", "名称↓"),
    ("uscc", "信用代码↑"),
    ("-established", "成立日期（新→旧）"),
    ("established", "成立日期（旧→新）"),
    ("-updated", "最近更新"),
]


@cache
def _filter_choices() -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Each list filter's (value, option tag up to its value, the rest), escaped once per process."""
    pairs = {
        "district": [(d.code, d.name) for d in ref.districts()],
        "park": [(z.code, z.name) for z in ref.zones()],
        "industry": [(i.code, f"{i.code} {i.name}") for i in ref.industries().values() if i.code.isdigit()],
        "tag": [(code, t.label) for code, t in ref.tag_types().items()],
        "sort": SORTS,
    }
    return {
        field: tuple(
            (value, f'<option value="{escape(value)}"', f">{escape(text)}</option>") for value, text in items
        )
        for field, items in pairs.items()
    }


def filter_options(field: str, selected: str | None) -> Markup:
    """The ``<option>`` tags of one filter on the list page, ``selected`` marked.

    The filter bar has about 130 options; rendering them through the template escaped each one on
    every request, a tenth of the list page's CPU.
    """
    return Markup(
        "".join(
            f"{head} selected{tail}" if value == selected else head + tail
            for value, head, tail in _filter_choices()[field]
        )
    )


def chart_spec(title: str, labels: list[str], values: list[int]) -> str:
    spec = {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {},
        "grid": {"left": 60, "right": 20, "bottom": 90},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 30}},
        "yAxis": {"type": "value"},
        "series": [{"type": "bar", "data": values, "itemStyle": {"color": "#1d4e89"}}],
    }
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


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
        by_district=[(export.place_name(d) or "未填写", n) for d, n in by_district],
        by_tag=[(tags[t].label if t in tags else t, n) for t, n in by_tag],
        district_chart=chart_spec(
            "各区机构数",
            [export.place_name(d) or "未填写" for d, _ in by_district],
            [n for _, n in by_district],
        ),
        tag_chart=chart_spec(
            "有效企业标签", [tags[t].label if t in tags else t for t, _ in by_tag], [n for _, n in by_tag]
        ),
    )


@router.get("/registry")
def list_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: FilterDep,
    page: int = 1,
    page_size: int = 20,
) -> Response:
    result = registry_service.list_orgs(session, actor=actor, filters=filters, page=page, page_size=page_size)
    template = "registry/_table.html" if request.headers.get("hx-request") else "registry/list.html"
    query = request.url.query
    return render(request, template, actor, page=result, f=filters, query=query, **choices())


@router.get("/registry/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    limit = state_of(request).settings.export_max_rows
    rows = registry_service.iter_export(session, actor=actor, filters=filters, limit=limit)
    return Response(
        export.to_xlsx(rows),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=registry.xlsx"},
    )


@router.get("/registry/new")
def new_page(request: Request, actor: CurrentActor) -> Response:
    if not perm.can_create(actor):
        raise LongchengError("您没有新建机构的权限。", code="forbidden", status=403)
    return render(request, "registry/form.html", actor, org=None, values={}, errors={}, **choices())


@router.post("/registry/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = _form_values(await request.form())
    try:
        org = registry_service.create(
            session, actor=actor, data=validate(OrgCreate, values, code="registry.invalid")
        )
    except ValidationFailed as exc:
        return render(
            request,
            "registry/form.html",
            actor,
            status=422,
            org=None,
            values=values,
            errors=exc.details,
            message=exc.message_text,
            **choices(),
        )
    return RedirectResponse(f"/registry/{org.uscc}", status_code=303)


def _form_values(form: Any) -> dict[str, Any]:
    keys = (
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
    return {k: form.get(k) for k in keys if form.get(k) not in (None, "")}


@router.get("/registry/import")
def import_page(request: Request, actor: CurrentActor) -> Response:
    return render(request, "registry/import.html", actor, report=None, headers=importer.HEADERS)


@router.post("/registry/import")
def import_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    report = import_upload(request, session, actor, file)
    return render(
        request,
        "registry/import.html",
        actor,
        status=200 if report.ok else 422,
        report=report,
        headers=importer.HEADERS,
    )


@router.get("/registry/template.xlsx")
def template_download(actor: CurrentActor) -> Response:
    return Response(
        importer.template_xlsx(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=registry-template.xlsx"},
    )


@router.get("/registry/{uscc}")
def detail_page(uscc: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    records = registry_service.history(session, actor=actor, org=org)
    return render(request, "registry/detail.html", actor, org=org, records=records, errors={}, **choices())


@router.get("/registry/{uscc}/edit")
def edit_page(uscc: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    values = {**org.audit_view(), "former_names": "；".join(org.former_name_list), "version": org.version}
    return render(request, "registry/form.html", actor, org=org, values=values, errors={}, **choices())


@router.post("/registry/{uscc}/edit")
async def edit_submit(uscc: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    values = _form_values(form)
    reason = str(form.get("reason") or "")
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    try:
        data = validate(OrgUpdate, {k: v for k, v in values.items() if k != "uscc"}, code="registry.invalid")
        registry_service.update(session, actor=actor, uscc=uscc, data=data, reason=reason)
    except ValidationFailed as exc:
        return render(
            request,
            "registry/form.html",
            actor,
            status=422,
            org=org,
            values=values,
            errors=exc.details,
            message=exc.message_text,
            **choices(),
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
