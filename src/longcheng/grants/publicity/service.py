"""公示: what is on public notice, the archive, objections and their replies.

An application is on notice from the moment it enters 公示 for ``PUBLICITY_DAYS`` working days
(or the window's ``sla["publicised"]``); an objection after the last day is refused. Each
objection gets a recorded reply; until every objection is resolved the application cannot
be decided (下达), so no money can be committed or paid for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import local_date, local_today, utcnow
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.validation import CleanMultiline, CleanText
from longcheng.core.workdays import default_calendar
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application
from longcheng.grants.programmes.models import Programme, Window
from longcheng.grants.publicity.models import Objection

PUBLICITY_DAYS = 5
ENTITY = "grants_application"


class ObjectionIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: CleanText = Field(min_length=1, max_length=60)
    contact: CleanText = Field(min_length=5, max_length=120)
    body: CleanMultiline = Field(min_length=5, max_length=5000)


@dataclass(frozen=True)
class NoticeRow:
    number: str
    programme: str
    clause: str
    firm: str
    amount_fen: int
    starts_on: date
    ends_on: date
    open_objections: int


def _ends_on(app: Application, window: Window | None) -> date:
    days = json.loads(window.sla).get("publicised", PUBLICITY_DAYS) if window else PUBLICITY_DAYS
    return default_calendar(allow_uncovered=True).add_working_days(local_date(app.stage_entered_at), days)


def ends_on(session: Session, app: Application) -> date:
    """The last day of the application's 公示 (objections accepted up to and including it)."""
    return _ends_on(app, session.get(Window, app.window_id))


def require_ended(session: Session, app: Application, today: date | None = None) -> None:
    """下达 only after the 公示 period: refused on its last day or earlier."""
    ends = ends_on(session, app)
    if (today or local_today()) <= ends:
        raise Conflict(
            f"该申报的公示期至 {ends.isoformat()} 结束，公示期满后方可下达。",
            code="grants.publicity_not_ended",
        )


def notices(session: Session, *, archive: bool = False, limit: int = 500) -> list[NoticeRow]:
    """Public: applications on notice now (or, for the archive, decided after a notice)."""
    stage = "decided" if archive else "publicised"
    stmt = (
        select(Application, Programme, Window)
        .join(Programme, Programme.id == Application.programme_id)
        .join(Window, Window.id == Application.window_id)
        .where(Application.stage == stage)
        .order_by(Application.stage_entered_at.desc())
        .limit(limit)
    )
    rows = list(session.execute(stmt))
    ids = [a.id for a, _, _ in rows]
    open_counts = dict(
        session.execute(
            select(Objection.application_id, func.count())
            .where(Objection.application_id.in_(ids), Objection.resolved.is_(False))
            .group_by(Objection.application_id)
        ).all()
    )
    return [
        NoticeRow(
            a.number,
            p.name,
            p.policy_clause or "",
            a.applicant_name,
            a.approved_fen or 0,
            local_date(a.stage_entered_at),
            _ends_on(a, w),
            int(open_counts.get(a.id, 0)),
        )
        for a, p, w in rows
    ]


def lodge(session: Session, *, number: str, data: ObjectionIn, today: date | None = None) -> Objection:
    """Anyone may object while the application is on notice; refused after the last day."""
    app = session.scalar(select(Application).where(Application.number == number.strip().upper()))
    if app is None or app.stage != "publicised":
        raise NotFound("该申报不在公示期内。", code="grants.not_on_notice")
    ends = _ends_on(app, session.get(Window, app.window_id))
    if (today or local_today()) > ends:
        raise Conflict(f"公示期已于 {ends.isoformat()} 结束，不再受理异议。", code="grants.publicity_ended")
    objection = Objection(application_id=app.id, name=data.name, contact=data.contact, body=data.body)
    session.add(objection)
    session.flush()
    anonymous = Actor(id=None, username="public", role=Role.enterprise, display_name=f"公众（{data.name}）")
    audit.record(
        session,
        actor=anonymous,
        action="grants.objection.lodge",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"异议人": data.name, "异议内容": data.body[:500]},
    )
    return objection


def reply(session: Session, *, actor: Actor, objection_id: int, text: str, resolved: bool) -> Objection:
    require(actor, perm.APP_REVIEW)
    objection = session.get(Objection, objection_id)
    if objection is None:
        raise NotFound("未找到该异议。", code="grants.objection_not_found")
    objection.reply, objection.replied_at, objection.replied_by = text.strip(), utcnow(), actor.label
    objection.resolved = resolved
    session.flush()
    app = session.get(Application, objection.application_id)
    assert app is not None
    audit.record(
        session,
        actor=actor,
        action="grants.objection.reply",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"答复": text[:500], "已办结": "是" if resolved else "否"},
    )
    return objection


def objections_of(session: Session, application_id: int) -> list[Objection]:
    return list(
        session.scalars(
            select(Objection).where(Objection.application_id == application_id).order_by(Objection.id)
        )
    )


def unresolved(session: Session, application_id: int) -> int:
    stmt = select(func.count(Objection.id)).where(
        Objection.application_id == application_id, Objection.resolved.is_(False)
    )
    return session.scalar(stmt) or 0
