"""The queries behind the registry's list page, API and export: scope and filters as a WHERE, the
sort, the count, and on SQLite the choice between walking the sort index and fetching every
candidate (see :func:`dense`)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    cast,
    exists,
    func,
    literal_column,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, with_expression
from sqlalchemy.sql.base import ExecutableOption

from longcheng.core import totals
from longcheng.core.actors import Actor, Role
from longcheng.core.clock import local_today
from longcheng.core.ids import SHAPE as USCC_SHAPE
from longcheng.core.ids import normalise_uscc
from longcheng.registry import permissions as perm
from longcheng.registry import reference as ref
from longcheng.registry import search as name_search
from longcheng.registry.models import Organisation, OrgTag
from longcheng.registry.schemas import OrgFilter

_SORTS: dict[str, Any] = {
    "name": Organisation.name_pinyin,  # by pinyin, as a 名录 reads, not by code point
    "uscc": Organisation.uscc,
    "established": Organisation.established,
    "updated": Organisation.updated_at,
}


def conditions(
    session: Session, actor: Actor, f: OrgFilter, *, walk: bool = False
) -> list[ColumnElement[bool]]:
    """The WHERE of a list page and its export: the actor's scope first, then the user's filters.

    ``walk`` (SQLite; ignored elsewhere) hides the name index and the industry index from the
    planner (unary plus), so that it reads the sort index in order and stops at the page (see
    :func:`list_orgs`).
    """
    walk = walk and name_search.uses_index(session)
    conds: list[ColumnElement[bool]] = [perm.visible_to(actor)]
    if f.q:
        text = f.q.strip()
        if any(c.isascii() and c.isalpha() for c in text):
            contains = Organisation.search_text.icontains(text, autoescape=True)
        else:  # Chinese has no case: plain LIKE, several times faster than ILIKE on PostgreSQL
            contains = Organisation.search_text.contains(text, autoescape=True)
        indexed = name_search.candidate_ids(session, text, hidden=walk)
        if indexed is not None:
            contains = and_(indexed, contains)
        code = normalise_uscc(text)
        # Only a text of a code's shape can be one: without the OR the planner may use the index.
        conds.append(or_(contains, Organisation.uscc == code) if USCC_SHAPE.match(code) else contains)
    for column, value in (
        (Organisation.district, f.district),
        (Organisation.park, f.park),
        (Organisation.org_type, f.org_type),
    ):
        if value:
            conds.append(column == value)
    if f.industry:
        conds.append(industry_condition(f.industry, hidden=walk))
    if f.tag:
        conds.append(_holds(session, f.tag, walk=walk))
    return conds


# A tag with more holders than this is tested firm by firm (SQLite): building the set of its
# holders first (20,000 high-tech firms) cost ten times what probing each examined firm's own
# tags by its id costs; a rare tag's set (500 champions) is cheaper than the probes.
HOLDERS_AS_SET = 2000


def _holds(session: Session, tag: str, *, walk: bool) -> ColumnElement[bool]:
    """Holding ``tag`` today; the unary plus keeps SQLite walking the sort index (see ``walk``)."""
    if name_search.uses_index(session) and (walk or _holders(session, tag) > HOLDERS_AS_SET):
        return exists(select(OrgTag.id).where(OrgTag.org_id == Organisation.id, *_tag_valid(tag)))
    holder = literal_column("+registry_org.id", Integer)
    return holder.in_(select(OrgTag.org_id).where(*_tag_valid(tag)))


def _holders(session: Session, tag: str) -> int:
    key = ("registry.tag_holders", tag, local_today())
    return totals.total(session, key, lambda: select(func.count()).where(*_tag_valid(tag)), stamps=STAMPS)


def industry_condition(code: str, *, hidden: bool = False) -> ColumnElement[bool]:
    """A section letter (C 制造业) or a code prefix (38, 3811) as index-friendly ranges
    (``hidden``: the same ranges the planner cannot use the industry index for, SQLite only)."""
    plain: ColumnElement[Any] = Organisation.industry.expression
    column = literal_column("+registry_org.industry", String) if hidden else plain
    code = code.strip().upper()
    if code.isalpha():
        divisions = [i.code for i in ref.industries().values() if i.section == code and i.code.isdigit()]
        return or_(*(_prefix(column, d) for d in divisions)) if divisions else column == code
    return _prefix(column, code)


def _prefix(column: ColumnElement[Any], code: str) -> ColumnElement[bool]:
    upper = code[:-1] + chr(ord(code[-1]) + 1)
    return and_(column >= code, column < upper)


def _tag_valid(tag: str) -> list[ColumnElement[bool]]:
    return [OrgTag.tag == tag, *tags_valid_today()]


def tags_valid_today() -> list[ColumnElement[bool]]:
    """A tag row in force today (Asia/Shanghai): started, and not yet ended."""
    return tags_valid_on(local_today())


def tags_valid_on(day: date) -> list[ColumnElement[bool]]:
    return [OrgTag.valid_from <= day, or_(OrgTag.valid_to.is_(None), OrgTag.valid_to >= day)]


TAG_SEP, FIELD_SEP = "\x1f", "|"  # between tags, and between a tag's fields (codes hold neither)


@lru_cache(maxsize=4)
def with_valid_tags(today: date) -> ExecutableOption:
    """The option that reads :func:`valid_tags` with each row, built once a day (building it
    copies the whole expression: a sixth of the list page's time when done per request)."""
    return with_expression(Organisation.valid_tags_text, valid_tags(today))


@lru_cache(maxsize=256)
def by_ids(dialect: str, actor: Actor, day: date | None) -> Select[Organisation]:
    """The actor's organisations by a list of ids (the parameter ``ids``, see
    ``totals.among_ids``), with the tags valid on ``day`` when one is given: a page of a kept
    window (``totals.kept_keys``), built once per actor and day."""
    where = totals.among_ids(dialect, Organisation.id), perm.visible_to(actor)
    stmt = select(Organisation).where(*where)
    return stmt.options(with_valid_tags(day)) if day is not None else stmt


def valid_tags(today: date) -> ColumnElement[str]:
    """The row's firm's tags valid on ``today`` as one text (empty when none), read with the row
    instead of in a second statement: ``valid_from|id|tag|level`` for each, joined by
    :data:`TAG_SEP` in no set order (``export.valid_tag_labels`` sorts them)."""
    item = (
        cast(OrgTag.valid_from, String)
        + FIELD_SEP
        + cast(OrgTag.id, String)
        + FIELD_SEP
        + OrgTag.tag
        + FIELD_SEP
        + func.coalesce(OrgTag.level, "")
    )
    tags = select(func.aggregate_strings(item, TAG_SEP)).where(
        OrgTag.org_id == Organisation.id, *tags_valid_on(today)
    )
    return func.coalesce(tags.scalar_subquery(), "")


def count(session: Session, actor: Actor, f: OrgFilter) -> Select[int]:
    """The total for a list; a tag alone is counted on the tag index without touching each firm."""
    only_tag = f.tag and not (f.q or f.district or f.park or f.org_type or f.industry)
    if (
        only_tag
        and actor.role is not Role.enterprise
        and (actor.role is not Role.officer or actor.district is None)
    ):
        return select(func.count(func.distinct(OrgTag.org_id))).where(*_tag_valid(f.tag or ""))
    # count(*), not count(id): PostgreSQL can then count from any index that holds the filters
    return select(func.count()).select_from(Organisation).where(*conditions(session, actor, f))


def filtered(session: Session, actor: Actor, f: OrgFilter, *, walk: bool = False) -> Select[Organisation]:
    """The sorted query behind a list page and its export."""
    column = _SORTS[f.sort.lstrip("-")]
    order = column.desc() if f.sort.startswith("-") else column.asc()
    where = conditions(session, actor, f, walk=walk)
    return select(Organisation).where(*where).order_by(order, Organisation.id)


def dense(session: Session, f: OrgFilter, total: int, needed: int) -> bool:
    """Whether reading the sort index in order finds ``needed`` rows sooner than fetching every
    candidate and sorting (SQLite only; PostgreSQL's planner weighs the LIMIT itself).

    The walk reads about ``needed × span / total`` index entries, where the span is the district's
    firms when a district is chosen (its indexes lead with the district) and the whole table
    otherwise. Fetching reads every candidate the planner starts from: the name index's matches
    for a search (often thousands when only a few hundred are in the district), else the total.
    """
    if not name_search.uses_index(session) or total == 0:
        return False
    if f.district and f.sort.lstrip("-") != "updated":
        in_district = Organisation.district == f.district
        span = _kept_count(session, ("registry.district_rows", f.district), in_district)
    else:
        span = session.scalar(select(func.max(Organisation.id))) or 0
    fetched = total
    text = (f.q or "").strip()
    fts = name_search.fts_query(text) if text else None
    if fts is not None:
        key = ("registry.name_matches", fts)
        fetched = max(total, _kept_count(session, key, name_search.candidate_ids(session, text)))
    return needed * span <= total * fetched


def _kept_count(session: Session, key: tuple[object, ...], where: ColumnElement[bool] | None) -> int:
    count = select(func.count()).select_from(Organisation).where(where if where is not None else true())
    return totals.total(session, key, lambda: count, stamps=STAMPS)


# Rows added or edited here change one of these even without an audit record (see core.totals).
STAMPS = (
    select(func.max(Organisation.id)).scalar_subquery(),
    select(func.max(Organisation.updated_at)).scalar_subquery(),
    select(func.max(OrgTag.id)).scalar_subquery(),
)


def total_key(actor: Actor, f: OrgFilter) -> tuple[object, ...]:
    """What a list's total depends on: the actor's scope, the filters and (tags) the day."""
    scope = perm.scope_key(actor)
    return ("registry.orgs", scope, f.q, f.district, f.park, f.org_type, f.industry, f.tag, local_today())
