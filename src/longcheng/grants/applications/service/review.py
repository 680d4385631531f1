"""专家评审 through the shared expert pool: draw experts for every application of a window that
is in expert review (conflicts with each applicant excluded), and read their scores."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.experts import service as experts_service
from longcheng.experts.schemas import AggregateView, AssignedExpert, DrawResult, ScoreView
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import get


def context_of(window_id: int) -> str:
    return f"grants:window:{window_id}"


def assign_experts(
    session: Session, *, actor: Actor, window_id: int, field: str, per_item: int, seed: int
) -> DrawResult:
    """Draw ``per_item`` experts of ``field`` for each application of the window in expert review
    that has none yet; the draw and its seed are recorded by the expert pool."""
    require(actor, perm.APP_REVIEW)
    stmt = select(Application).where(Application.window_id == window_id, Application.stage == "expert_review")
    apps = list(session.scalars(stmt.order_by(Application.id)))
    taken = {a.ref for a in _assigned(session, actor, window_id, [a.number for a in apps])}
    items = [
        experts_service.AssignItem(a.number, field, a.applicant_uscc) for a in apps if a.number not in taken
    ]
    if not items:
        raise ValidationFailed("该批次没有待抽取专家的专家评审阶段申报。", code="grants.nothing_to_assign")
    return experts_service.assign(
        session, actor=actor, context=context_of(window_id), items=items, per_item=per_item, seed=seed
    )


def _assigned(session: Session, actor: Actor, window_id: int, numbers: list[str]) -> list[AssignedExpert]:
    out: list[AssignedExpert] = []
    for number in numbers:
        out += experts_service.assignments_for(
            session, actor=actor, context=context_of(window_id), ref=number
        )
    return out


def review_of(session: Session, *, actor: Actor, number: str) -> tuple[list[ScoreView], AggregateView]:
    """The experts' scores (anonymised) and the aggregate of one application."""
    app = get(session, actor=actor, number=number)
    require(actor, perm.APP_REVIEW)
    ctx = context_of(app.window_id)
    return (
        experts_service.scores_for(session, actor=actor, context=ctx, ref=app.number),
        experts_service.aggregate(session, actor=actor, context=ctx, ref=app.number),
    )


def file_for_reviewer(session: Session, *, actor: Actor, number: str) -> Application:
    """The application an assigned expert may read, only after signing a declaration of no
    conflict (the experts service checks the assignment and the declaration)."""
    app = session.scalar(select(Application).where(Application.number == number.strip().upper()))
    if app is None or not experts_service.declared(
        session, actor=actor, context=context_of(app.window_id), ref=app.number
    ):
        raise PermissionDenied(
            "请先在“我的评审”中签署无利益冲突声明，再查看申报材料。", code="grants.declaration_required"
        )
    return app
