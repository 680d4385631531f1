"""Reading many projects: the filtered list, its export, the pipeline board and the dashboard figures.

One function (:func:`conditions`) turns the actor's scope and a :class:`ProjectFilter` into the
WHERE of every list, count, export and board, so an export holds exactly what the list shows.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, selectinload, with_expression

from longcheng.core import totals
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.paging import Page
from longcheng.projects import permissions as perm
from longcheng.projects.models import LIST_SEP, Project, ProjectListEntry
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage
from longcheng.projects.schemas import WAN_FEN, ProjectFilter

STAGE_RANK = case({s.value: s.rank for s in STAGE_ORDER}, value=Project.stage, else_=0)
_SORTS: dict[str, Any] = {
    "total": Project.total_investment_fen,
    "name": Project.name,
    "signed": Project.signed_on,
    "updated": Project.updated_at,
    "stage": STAGE_RANK,
    "code": Project.code,
}


def conditions(actor: Actor, f: ProjectFilter) -> list[ColumnElement[bool]]:
    """The actor's scope, then the user's filters."""
    conds: list[ColumnElement[bool]] = [perm.visible_to(actor)]
    if f.q:
        text = f.q.strip()
        conds.append(or_(Project.search_text.contains(text, autoescape=True), Project.code == text.upper()))
    for column, value in (
        (Project.district, f.district),
        (Project.park, f.park),
        (Project.light, f.light),
        (Project.cooperation, f.cooperation),
    ):
        if value:
            conds.append(column == value)
    if f.stage is not None:
        conds.append(Project.stage == f.stage.value)
    if f.industry:
        conds.append(Project.industry.like(f"{f.industry}%"))
    if f.list:
        conds.append(
            Project.id.in_(select(ProjectListEntry.project_id).where(ProjectListEntry.list_name == f.list))
        )
    if f.leader:
        conds.append(Project.leader_name == f.leader.strip())
    if f.min_wan is not None:
        conds.append(Project.total_investment_fen >= int(f.min_wan * WAN_FEN))
    if f.max_wan is not None:
        conds.append(Project.total_investment_fen <= int(f.max_wan * WAN_FEN))
    return conds


def filtered(actor: Actor, f: ProjectFilter) -> Select[Project]:
    return _ordered(select(Project).where(*conditions(actor, f)), f)


def _ordered(stmt: Select[Project], f: ProjectFilter) -> Select[Project]:
    column = _SORTS[f.sort.lstrip("-")]
    return stmt.order_by(column.desc() if f.sort.startswith("-") else column.asc(), Project.id)


def list_projects(
    session: Session, *, actor: Actor, filters: ProjectFilter, page: int = 1, page_size: int = 20
) -> Page[Project]:
    """One page of the filtered, sorted list, each row with its list names (one statement):
    :func:`list_project_ids`, then :func:`projects_by_ids`."""
    keys = list_project_ids(session, actor=actor, filters=filters, page=page, page_size=page_size)
    items = projects_by_ids(session, actor=actor, ids=keys.items) if keys.items else []
    return Page(items, keys.total, keys.page, keys.page_size)


def list_project_ids(
    session: Session, *, actor: Actor, filters: ProjectFilter, page: int = 1, page_size: int = 20
) -> Page[int]:
    """The ids of one page of the list, in its order, and the total; both kept under the
    projects' marks, the ids five pages at a time (``totals.kept_keys``)."""
    require(actor, perm.PROJECT_READ)
    key = ("projects.list", perm.scope_key(actor), filters.model_dump_json(), local_today())
    conds = conditions(actor, filters)
    count = select(func.count(Project.id)).where(*conds)
    total = totals.total(session, key, lambda: count, stamps=STAMPS)

    def ordered(_needed: int) -> Select[Project]:
        return _ordered(select(Project).where(*conds), filters)

    return totals.kept_keys(
        session, ordered, key=key, page=page, page_size=page_size, total=total, stamps=STAMPS
    )


def projects_by_ids(session: Session, *, actor: Actor, ids: Sequence[int]) -> list[Project]:
    """The projects of ``ids`` the actor may see, in that order, each with its list names."""
    stmt = _by_ids(session.get_bind().dialect.name, actor)
    return totals.in_order(ids, session.scalars(stmt, {"ids": list(ids)}))


@lru_cache(maxsize=256)
def _by_ids(dialect: str, actor: Actor) -> Select[Project]:
    """The actor's projects by a list of ids, each with its list names: a page of a kept
    window, built once per actor (see ``totals.among_ids``)."""
    visible = perm.visible_to(actor)
    return select(Project).where(totals.among_ids(dialect, Project.id), visible).options(_WITH_NAMES)


# Each row's list names as one text, read with the row. A second statement for the entries, and
# some 60 more ORM objects a page, made the mixed list traffic cost 15.9 M instructions a request
# against 14.9 M this way (PostgreSQL, ``bench/load_instructions.py``), and a round trip more.
# Unordered: ``Project.list_names`` sorts them.
# The option is built once: building it copies the expression (SQLAlchemy's deannotation).
_NAMES = func.coalesce(
    select(func.aggregate_strings(ProjectListEntry.list_name, LIST_SEP))
    .where(ProjectListEntry.project_id == Project.id)
    .scalar_subquery(),
    "",
)
_WITH_NAMES = with_expression(Project.list_names_text, _NAMES)


# Rows added or edited without an audit record (an import's bulk insert) still change these.
# The list's total and the filters' choices (leaders, list names) are kept under the same marks.
STAMPS = (
    select(func.max(Project.id)).scalar_subquery(),
    select(func.max(Project.updated_at)).scalar_subquery(),
    select(func.max(ProjectListEntry.id)).scalar_subquery(),
)


def iter_export(session: Session, *, actor: Actor, filters: ProjectFilter, limit: int) -> Iterator[Project]:
    """Exactly the filtered rows, in the list's order, streamed with their investors and lists."""
    require(actor, perm.PROJECT_EXPORT)
    stmt = (
        filtered(actor, filters)
        .options(selectinload(Project.lists), selectinload(Project.investors), selectinload(Project.people))
        .limit(limit)
    )
    return iter(session.scalars(stmt.execution_options(yield_per=500)))


@dataclass(frozen=True)
class Column:
    stage: Stage
    count: int
    total_fen: int
    cards: list[Project]


def board(session: Session, *, actor: Actor, filters: ProjectFilter, per_stage: int = 12) -> list[Column]:
    """The pipeline board: for each stage its count, total investment and largest projects."""
    require(actor, perm.PROJECT_READ)
    f = filters.model_copy(update={"stage": None})
    conds = conditions(actor, f)
    totals = {
        s: (n, t or 0)
        for s, n, t in session.execute(
            select(Project.stage, func.count(), func.sum(Project.total_investment_fen))
            .where(*conds)
            .group_by(Project.stage)
        )
    }
    columns = []
    for stage in STAGE_ORDER:
        n, total = totals.get(stage.value, (0, 0))
        cards = list(
            session.scalars(
                select(Project)
                .where(*conds, Project.stage == stage.value)
                .order_by(Project.total_investment_fen.desc(), Project.id)
                .limit(per_stage)
            )
        )
        columns.append(Column(stage, n, int(total), cards))
    return columns


@dataclass(frozen=True)
class Dashboard:
    """The leader's figures, all within the actor's scope."""

    total: int
    total_fen: int
    by_stage: list[tuple[Stage, int, int]]
    by_district: list[tuple[str, int, int]]
    by_industry: list[tuple[str, int, int]]
    lights: dict[str, int]
    year: int
    year_signed: tuple[int, int]
    year_started: tuple[int, int]
    year_completed: tuple[int, int]
    red: list[Project]
    by_list: list[tuple[str, int, int]]


def _grouped(session: Session, conds: list[ColumnElement[bool]], column: Any) -> list[tuple[Any, int, int]]:
    stmt = (
        select(column, func.count(), func.sum(Project.total_investment_fen))
        .where(*conds)
        .group_by(column)
        .order_by(func.sum(Project.total_investment_fen).desc())
    )
    return [(key, n, int(total or 0)) for key, n, total in session.execute(stmt)]


def _by_division(rows: list[tuple[Any, int, int]]) -> list[tuple[Any, int, int]]:
    """Industry codes folded to their GB/T 4754 division (first two digits), largest first."""
    folded: dict[Any, tuple[int, int]] = {}
    for code, n, total in rows:
        key = code[:2] if code else None
        count, amount = folded.get(key, (0, 0))
        folded[key] = (count + n, amount + total)
    return sorted(((k, n, t) for k, (n, t) in folded.items()), key=lambda r: -r[2])


def _year_tally(
    session: Session, conds: list[ColumnElement[bool]], column: Any, amount: Any, year: int
) -> tuple[int, int]:
    row = session.execute(
        select(func.count(), func.sum(amount)).where(
            *conds, column >= date(year, 1, 1), column <= date(year, 12, 31)
        )
    ).one()
    return int(row[0]), int(row[1] or 0)


def dashboard(session: Session, *, actor: Actor, year: int, red_limit: int = 20) -> Dashboard:
    require(actor, perm.DASHBOARD)
    conds = conditions(actor, ProjectFilter())
    stages = {s: (n, t) for s, n, t in _grouped(session, conds, Project.stage)}
    lists = [
        (name, n, t)
        for name, n, t in session.execute(
            select(ProjectListEntry.list_name, func.count(), func.sum(Project.total_investment_fen))
            .join(Project, Project.id == ProjectListEntry.project_id)
            .where(*conds)
            .group_by(ProjectListEntry.list_name)
            .order_by(func.count().desc())
        )
    ]
    red = list(
        session.scalars(
            select(Project)
            .where(*conds, Project.light == "red")
            .order_by(Project.total_investment_fen.desc(), Project.id)
            .limit(red_limit)
        )
    )
    lights = {light: n for light, n, _ in _grouped(session, conds, Project.light)}
    return Dashboard(
        total=sum(n for n, _ in stages.values()),
        total_fen=sum(t for _, t in stages.values()),
        by_stage=[(s, *stages.get(s.value, (0, 0))) for s in STAGE_ORDER],
        by_district=_grouped(session, conds, Project.district),
        by_industry=_by_division(_grouped(session, conds, Project.industry)),
        lights={k: lights.get(k, 0) for k in ("red", "yellow", "green")},
        year=year,
        year_signed=_year_tally(session, conds, Project.signed_on, Project.agreed_investment_fen, year),
        year_started=_year_tally(session, conds, Project.started_on, Project.total_investment_fen, year),
        year_completed=_year_tally(session, conds, Project.completed_on, Project.total_investment_fen, year),
        red=red,
        by_list=[(name, n, int(t or 0)) for name, n, t in lists],
    )


def leaders(session: Session, *, actor: Actor) -> tuple[str, ...]:
    """Leaders named on visible projects, for the filter's choices (the kept tuple itself, the
    same object until the data changes: its ``<option>`` tags are kept with it)."""
    require(actor, perm.PROJECT_READ)
    stmt = (
        select(Project.leader_name)
        .where(perm.visible_to(actor), Project.leader_name != "")
        .group_by(Project.leader_name)
        .order_by(Project.leader_name)
    )
    key = ("projects.leaders", perm.scope_key(actor))
    return totals.kept(session, key, lambda: tuple(session.scalars(stmt)), stamps=STAMPS)


def list_names(session: Session) -> tuple[str, ...]:
    """Every list and batch name in use, kept like the list's total: until the next recorded
    change or a move of the projects' stamps (the list page then reads its marks once)."""
    stmt = select(ProjectListEntry.list_name).group_by(ProjectListEntry.list_name)
    key = ("projects.list_names",)
    return totals.kept(session, key, lambda: tuple(session.scalars(stmt)), stamps=STAMPS)


def codes_matching(session: Session, *, actor: Actor, filters: ProjectFilter, limit: int = 500) -> list[str]:
    """The codes of the filtered list (in its order), e.g. to start a ceremony from a list."""
    require(actor, perm.PROJECT_READ)
    stmt = select(Project.code).where(*conditions(actor, filters))
    return list(session.scalars(stmt.order_by(Project.code).limit(limit)))
