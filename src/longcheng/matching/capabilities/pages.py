"""Pages of capabilities: the public list (filters, paging, export), a capability's page with
the challenges it fits and its change log, the create and edit forms, and the XLSX import page
that lists every refused row."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession, uploaded_file
from longcheng.core.listing import ListQuery, export_limit, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.matching import export, importer
from longcheng.matching import permissions as perm
from longcheng.matching.capabilities import service
from longcheng.matching.capabilities.api import capability_json
from longcheng.matching.capabilities.models import KINDS, Capability
from longcheng.matching.capabilities.schemas import CapabilityIn
from longcheng.matching.challenges import service as challenges

router = APIRouter(include_in_schema=False)
FIELDS = ("title", "kind", "field", "trl", "keywords", "description", "contact", "org_uscc", "org_name")
INVALID = "matching.invalid"


def _filters(q: str, kind: str, field: str, trl_min: str, org: str) -> service.CapabilityFilter:
    level = int(trl_min) if trl_min.isdigit() and 1 <= int(trl_min) <= 9 else None
    return service.CapabilityFilter(
        q=q.strip()[:100], kind=kind if kind in KINDS else "", field=field[:40], trl_min=level, org=org[:18]
    )


@router.get("/matching/capabilities")
def listing(
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    q: str = "",
    kind: str = "",
    field: str = "",
    trl_min: str = "",
    org: str = "",
    page: int = 1,
) -> Response:
    found = service.search(
        session, filters=_filters(q, kind, field, trl_min, org), page=max(1, min(page, 10_000))
    )
    return render(
        request,
        "matching/capabilities.html",
        actor,
        rows=[capability_json(r) for r in found.items],
        page=found,
        f={"q": q, "kind": kind, "field": field, "trl_min": trl_min, "org": org},
        listing=ListQuery.of(request),
        kinds=list(KINDS.items()),
        fields=challenges.fields(),
    )


@router.get("/matching/capabilities/export.xlsx")
def export_xlsx(
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    q: str = "",
    kind: str = "",
    field: str = "",
    trl_min: str = "",
    org: str = "",
) -> Response:
    rows = service.iter_export(
        session, filters=_filters(q, kind, field, trl_min, org), limit=export_limit(request)
    )
    return xlsx_response(export.capabilities_xlsx(rows), "capabilities.xlsx")


def _choices(actor: Actor) -> dict[str, Any]:
    return {
        "kinds": list(KINDS.items()),
        "fields": challenges.fields(),
        "enterprise": actor.role is Role.enterprise,
    }


@router.get("/matching/capabilities/new")
def new_form(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.CAPABILITY_EDIT)
    start = {"kind": "result", "org_uscc": actor.org_uscc or "", "org_name": actor.display_name or ""}
    return render_form(
        request, actor, "matching/capability_form.html", values=start, c=None, **_choices(actor)
    )


@router.post("/matching/capabilities/new")
async def new_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), FIELDS)
    try:
        row = service.create(session, actor=actor, data=validate(CapabilityIn, values, code=INVALID))
    except LongchengError as exc:
        return render_refused(
            request,
            session,
            actor,
            "matching/capability_form.html",
            exc,
            values=values,
            c=None,
            **_choices(actor),
        )
    return RedirectResponse(f"/matching/capabilities/{row.code}", status_code=303)


@router.get("/matching/capabilities/import")
def import_form(request: Request, actor: CurrentActor) -> Response:
    require(actor, perm.CAPABILITY_EDIT)
    return render(request, "matching/capability_import.html", actor, errors={}, message="", created=None)


@router.post("/matching/capabilities/import")
def import_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    require(actor, perm.CAPABILITY_EDIT)
    try:
        with uploaded_file(request, file) as path:
            made = importer.run_import(session, actor=actor, path=path)
    except ValidationFailed as exc:
        session.rollback()
        return render(
            request,
            "matching/capability_import.html",
            actor,
            status=exc.status_code,
            errors=exc.details,
            message=exc.message_text,
            created=None,
        )
    return render(request, "matching/capability_import.html", actor, errors={}, message="", created=len(made))


def _values(row: Capability) -> dict[str, Any]:
    return {name: getattr(row, name) for name in FIELDS}


@router.get("/matching/capabilities/{code}/edit")
def edit_form(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    row = service.get(session, code=code)
    if not service.may_edit(actor, row):
        require(actor, perm.CHALLENGE_MANAGE)
    return render_form(
        request,
        actor,
        "matching/capability_form.html",
        values=_values(row),
        c=capability_json(row),
        **_choices(actor),
    )


@router.post("/matching/capabilities/{code}/edit")
async def edit_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), FIELDS)
    try:
        service.update(session, actor=actor, code=code, data=validate(CapabilityIn, values, code=INVALID))
    except LongchengError as exc:
        c = capability_json(service.get(session, code=code))
        return render_refused(
            request,
            session,
            actor,
            "matching/capability_form.html",
            exc,
            values=values,
            c=c,
            **_choices(actor),
        )
    return RedirectResponse(f"/matching/capabilities/{code}", status_code=303)


@router.get("/matching/capabilities/{code}")
def capability_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    row = service.get(session, code=code)
    editable = service.may_edit(actor, row)
    return render(
        request,
        "matching/capability.html",
        actor,
        c=capability_json(row),
        description=row.description,
        contact=row.contact if actor is not None else "",
        editable=editable,
        changes=service.changes(session, code=code) if editable else [],
        matches=service.for_capability(session, code=code),
    )
