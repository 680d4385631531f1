"""The project page, and how an action on one project returns to it.

An action on one project (:func:`act_on_project`) redirects back to its page with a notice; when it is
refused, nothing is kept (the transaction is rolled back) and the page comes back with the
reason on top and the status of the refusal (403, 409, 422). The page shows the plan with its
lights, 序时进度, 督办 (:mod:`longcheng.projects.supervision`) and news evidence
(:mod:`longcheng.projects.evidence`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import can
from longcheng.core.clock import local_today
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.templating import render
from longcheng.projects import permissions as perm
from longcheng.projects import service
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.models import Project
from longcheng.projects.pages.choices import choices
from longcheng.projects.schedule.progress import Month, schedule_progress
from longcheng.projects.service import lights as service_lights
from longcheng.projects.service import plan as service_plan
from longcheng.projects.supervision import service as supervision_service


def act_on_project(
    request: Request, session: Session, actor: Actor, code: str, action: Callable[[], str], anchor: str
) -> Response:
    """Run ``action``; on success go back to the project page with its notice, else show why."""
    try:
        notice = action()
    except LongchengError as exc:
        session.rollback()
        return render_detail(request, session, actor, code, status=exc.status_code, error=exc)
    return RedirectResponse(f"/projects/{code}?notice={quote(notice)}#{anchor}", status_code=303)


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"日期“{value}”格式应为 YYYY-MM-DD。",
            code="projects.invalid",
            details={field: "日期格式应为 YYYY-MM-DD"},
        ) from None


def _progress(session: Session, project: Project) -> tuple[list[Any], str]:
    as_of = service_lights.progress_month(local_today())
    months = service_plan.investment_year(session, project, as_of.year)
    if not months:
        return [], ""
    planned = {Month(as_of.year, m): r.planned_fen for m, r in months.items()}
    completed = {Month(as_of.year, m): r.completed_fen for m, r in months.items()}
    progress = schedule_progress(as_of, completed, planned_by_month=planned)
    full = schedule_progress(Month(as_of.year, 12), completed, planned_by_month=planned)
    return list(full.months), progress.summary()


def render_detail(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    *,
    status: int = 200,
    error: LongchengError | None = None,
    notice: str | None = None,
) -> Response:
    """The project page; after a refused action, with the reason on top and the action's status."""
    project = service.get(session, actor=actor, code=code)
    lit = service_lights.evaluate(session, project)
    months, progress = _progress(session, project)
    records = (
        service.history(session, actor=actor, project=project) if can(actor, perm.PROJECT_HISTORY) else []
    )
    return render(
        request,
        "projects/detail.html",
        actor,
        status=status,
        p=project,
        lit=lit,
        signals=dict(lit.nodes),
        nodes=service_plan.nodes_of(session, project),
        orders=supervision_service.orders_of(session, project),
        evidence=evidence_service.evidence_of(session, project),
        records=records,
        months=months,
        progress=progress,
        editable=perm.can_edit(actor, project),
        supervisable=perm.can_supervise(actor, project),
        decidable=can(actor, perm.EVIDENCE_DECIDE)
        and (perm.is_responsible(actor, project) or actor.district is None),
        today=local_today(),
        notice=notice,
        error=error,
        **choices(session, actor),
    )
