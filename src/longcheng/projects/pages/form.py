"""The project form: registering a project and editing it, with the 409 page that keeps what was typed.

The form speaks the way officers write: amounts in 万元 or with their unit, one investor, task-force
member or contact per line. A save that comes after someone else's keeps the typed values in the
form and shows the newer saved values beside them, so nothing is lost.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from longcheng.core.auth import can
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.core.forms import render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.projects import permissions as perm
from longcheng.projects import service
from longcheng.projects.models import Project
from longcheng.projects.pages.choices import choices
from longcheng.projects.schedule.stages import STAGE_ORDER
from longcheng.projects.schemas import ProjectCreate, ProjectUpdate
from longcheng.projects.service.fields import PLAIN_FIELDS
from longcheng.projects.vocab import official_lists

router = APIRouter(include_in_schema=False)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("；", "\n").replace(";", "\n").splitlines() if p.strip()]


def _people(text: str) -> list[dict[str, str]]:
    """Lines of ``姓名，职务/单位，电话，用户名`` (commas of either width)."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if parts and parts[0]:
            parts += [""] * 4
            out.append({"name": parts[0], "title": parts[1], "phone": parts[2], "username": parts[3]})
    return out


SIMPLE = (
    "code",
    "name",
    "project_type",
    "summary",
    "district",
    "park",
    "industry",
    "cooperation",
    "partner_region",
    "currency",
    "agreed_investment",
    "total_investment",
    "land_mu",
    "floor_area_m2",
    "expected_output",
    "expected_tax",
    "expected_jobs",
    "leader_name",
    "leader_username",
    "responsible_unit",
    "stage",
    "plan_start",
    "version",
    *(f"{s.value}_on" for s in STAGE_ORDER),
)


def form_data(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """The submitted form as service input, and as the raw values to show again."""
    raw = {
        k: str(form.get(k) or "")
        for k in (*SIMPLE, "investor_usccs", "investor_names", "other_lists", "task_force", "contacts")
    }
    data: dict[str, Any] = {k: raw[k] for k in SIMPLE if raw[k].strip()}
    lists = [str(v) for v in form.getlist("lists")] + _split(raw["other_lists"])
    usccs, names = _split(raw["investor_usccs"]), _split(raw["investor_names"])
    data["investors"] = [
        {"uscc": usccs[i] if i < len(usccs) else None, "name": names[i] if i < len(names) else None}
        for i in range(max(len(usccs), len(names)))
    ]
    data["lists"] = lists
    data["task_force"] = _people(raw["task_force"])
    data["contacts"] = [{k: v for k, v in p.items() if k != "username"} for p in _people(raw["contacts"])]
    return data, raw | {"lists": lists}


def project_values(p: Project) -> dict[str, Any]:
    """A project as the edit form shows it (amounts in 万 of the stated currency)."""

    def wan(v: int | None) -> str:
        return "" if v is None else f"{(Decimal(v) / 1_000_000).normalize():f}"

    def person(x: Any) -> str:
        return "，".join([x.name, x.title, x.phone])

    official = official_lists()
    values: dict[str, Any] = {k: getattr(p, k) or "" for k in ("code", *PLAIN_FIELDS, "currency", "version")}
    values.update(
        {
            "agreed_investment": wan(p.stated_agreed),
            "total_investment": wan(p.stated_total),
            "expected_output": wan(p.expected_output_fen),
            "expected_tax": wan(p.expected_tax_fen),
            "land_mu": f"{Decimal(p.land_centi_mu) / 100:f}" if p.land_centi_mu is not None else "",
            "lists": p.list_names,
            "other_lists": "；".join(n for n in p.list_names if n not in official),
            "investor_usccs": "\n".join(i.uscc or "" for i in p.investors),
            "investor_names": "\n".join(i.name for i in p.investors),
            "task_force": "\n".join(person(x) for x in p.people if x.kind == "task_force"),
            "contacts": "\n".join(person(x) for x in p.people if x.kind == "contact"),
            **{f"{s.value}_on": getattr(p, f"{s.value}_on") or "" for s in STAGE_ORDER},
        }
    )
    return values


@router.get("/projects/new")
def new_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    if not can(actor, perm.PROJECT_CREATE):
        raise PermissionDenied("您没有登记项目的权限。")
    values = {"district": actor.district or "", "currency": "CNY", "project_type": "industrial", "lists": []}
    return render_form(
        request, actor, "projects/form.html", values=values, project=None, **choices(session, actor)
    )


@router.post("/projects/new")
async def create_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    data, raw = form_data(await request.form())
    try:
        project = service.create(
            session, actor=actor, data=validate(ProjectCreate, data, code="projects.invalid")
        )
    except ValidationFailed as exc:
        return render_refused(
            request,
            session,
            actor,
            "projects/form.html",
            exc,
            values=raw,
            project=None,
            **choices(session, actor),
        )
    return RedirectResponse(f"/projects/{project.code}?saved=1", status_code=303)


@router.get("/projects/{code}/edit")
def edit_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    project = service.get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_UPDATE, project)
    return render_form(
        request,
        actor,
        "projects/form.html",
        values=project_values(project),
        project=project,
        **choices(session, actor),
    )


@router.post("/projects/{code}/edit")
async def edit_submit(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    data, raw = form_data(form)
    data.pop("code", None), data.pop("stage", None), data.pop("plan_start", None)
    project = service.get(session, actor=actor, code=code)
    try:
        service.update(
            session,
            actor=actor,
            code=code,
            data=validate(ProjectUpdate, data, code="projects.invalid"),
            reason=str(form.get("reason") or ""),
        )
    except Conflict as exc:
        session.rollback()
        current = service.get(session, actor=actor, code=code)
        return render(
            request,
            "projects/form.html",
            actor,
            status=409,
            project=current,
            values=raw,
            errors={},
            message=exc.message_text,
            conflict=project_values(current),
            **choices(session, actor),
        )
    except ValidationFailed as exc:
        return render_refused(
            request,
            session,
            actor,
            "projects/form.html",
            exc,
            values=raw,
            project=project,
            **choices(session, actor),
        )
    return RedirectResponse(f"/projects/{code}?saved=1", status_code=303)
