"""Reading facts: the fact table, its filters and export, one fact with its 痕迹, and the hand-off.

Every function takes the session first and the acting user as ``actor``; permissions are asked
of :func:`longcheng.core.auth.require` and the fact scope of ``permissions.facts_visible_to``.
``facts_for_projects`` is the hand-off to readers such as the projects module (plain data, no
actor: the caller is already authorised).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.core.paging import Page, paginate
from longcheng.intel import permissions as perm
from longcheng.intel.models import HOLDING, Fact, Link, LinkStatus
from longcheng.intel.schemas import FactFilter

_FACT_SORTS: dict[str, Any] = {
    "-published": (Fact.published.desc().nulls_last(), Fact.id.desc()),
    "published": (Fact.published.asc().nulls_last(), Fact.id),
    "-amount": (Fact.amount_fen.desc(), Fact.id),
    "amount": (Fact.amount_fen.asc(), Fact.id),
}
PROJECT_EVENTS = ("signed", "started", "completed", "producing", "invested")


def _linked_to(uscc: str) -> ColumnElement[bool]:
    linked = select(Link.fact_id).where(
        Link.target_type == "org", Link.target == uscc, Link.status.in_(HOLDING)
    )
    return Fact.id.in_(linked)


def fact_conditions(actor: Actor, f: FactFilter) -> list[ColumnElement[bool]]:
    """The WHERE of the fact table and its export: the actor's scope first, then the filters."""
    conds: list[ColumnElement[bool]] = [perm.facts_visible_to(actor)]
    if f.q:
        conds.append(
            or_(
                *(column.contains(f.q, autoescape=True) for column in (Fact.sentence, Fact.org, Fact.project))
            )
        )
    for column, value in ((Fact.kind, f.kind), (Fact.document_id, f.document)):
        if value is not None:
            conds.append(column == value)
    if f.event is not None:
        conds.append(Fact.event.is_(None) if f.event == "none" else Fact.event == f.event)
    if f.place:
        conds.append(or_(Fact.place == f.place, Fact.district == f.place))
    if f.org:
        conds.append(_linked_to(f.org.strip().upper()))
    conds += _range_conditions(f)
    if f.link == "linked":
        conds.append(Fact.org_uscc.is_not(None))
    elif f.link == "unlinked":
        conds.append(Fact.org_uscc.is_(None))
    elif f.link == "proposed":
        waiting = select(Link.fact_id).where(Link.status == LinkStatus.proposed.value)
        conds.append(Fact.id.in_(waiting))
    return conds


def _range_conditions(f: FactFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.date_from:
        conds.append(Fact.published >= f.date_from)
    if f.date_to:
        conds.append(Fact.published <= f.date_to)
    if f.min_fen is not None:
        conds.append(Fact.amount_fen >= f.min_fen)
    if f.max_fen is not None:
        conds.append(Fact.amount_fen <= f.max_fen)
    return conds


def filtered_facts(actor: Actor, f: FactFilter) -> Select[Fact]:
    """The sorted query behind the fact table, its API and its export."""
    return select(Fact).where(*fact_conditions(actor, f)).order_by(*_FACT_SORTS[f.sort])


def list_facts(
    session: Session, *, actor: Actor, filters: FactFilter, page: int = 1, page_size: int = 20
) -> Page[Fact]:
    require(actor, perm.FACT_READ)
    stmt = filtered_facts(actor, filters).options(joinedload(Fact.article))
    count = select(func.count(Fact.id)).where(*fact_conditions(actor, filters))
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_export(session: Session, *, actor: Actor, filters: FactFilter, limit: int) -> Iterator[Fact]:
    """Exactly the filtered facts, in the table's order, streamed with their articles."""
    require(actor, perm.EXPORT)
    stmt = (
        filtered_facts(actor, filters)
        .options(joinedload(Fact.article), joinedload(Fact.document))
        .limit(limit)
    )
    return iter(session.scalars(stmt.execution_options(yield_per=1000)))


def holders(session: Session, *, fact_id: int) -> set[str]:
    """The organisations a fact belongs to (auto or confirmed links)."""
    stmt = select(Link.target).where(
        Link.fact_id == fact_id, Link.target_type == "org", Link.status.in_(HOLDING)
    )
    return set(session.scalars(stmt))


def get_fact(session: Session, *, actor: Actor, fact_id: int) -> Fact:
    """One fact; to an enterprise user a fact not linked to its own firm is "not found" too."""
    require(actor, perm.FACT_READ)
    fact = session.scalar(
        select(Fact).where(Fact.id == fact_id).options(joinedload(Fact.article), joinedload(Fact.document))
    )
    if fact is None or not perm.may_see_fact(actor, holders(session, fact_id=fact.id)):
        raise NotFound("未找到该事实。", code="intel.fact_not_found")
    return fact


def history(session: Session, *, actor: Actor, fact: Fact) -> list[audit.AuditRecord]:
    """The fact's 痕迹: changes of the fact and decisions on its links, newest first."""
    require(actor, perm.LINK_READ)
    records = audit.history(session, entity_type="intel_fact", entity_id=str(fact.id))
    for link_id in session.scalars(select(Link.id).where(Link.fact_id == fact.id)):
        records += audit.history(session, entity_type="intel_link", entity_id=str(link_id))
    return sorted(records, key=lambda r: r.seq, reverse=True)


# --------------------------------------------------------------------------- hand-off


def facts_for_projects(
    session: Session, *, since: datetime | None = None, fact_ids: Sequence[int] | None = None
) -> list[dict[str, Any]]:
    """Facts the projects module can use as evidence or leads, as plain data.

    Investment amounts (总投资, 协议投资, 完成投资 …) with the stage event of their sentence
    (signed, started, completed, producing, invested, or none), with ``aggregate`` for totals of
    many projects; an article repeating the same amount for the same project (title, lead and
    body) gives it once. ``since`` keeps the facts stored
    at or after that time, ``fact_ids`` only those facts. No actor: the caller
    (``projects``, through its own command or hook handler) is already authorised.
    """
    stmt = (
        select(Fact)
        .where(Fact.kind == "investment", or_(Fact.event.is_(None), Fact.event.in_(PROJECT_EVENTS)))
        .options(joinedload(Fact.article))
        .order_by(Fact.id)
    )
    if since is not None:
        stmt = stmt.where(Fact.created_at >= since)
    if fact_ids is None:
        facts = list(session.scalars(stmt))
    else:
        ids = sorted(set(fact_ids))
        facts = [
            f
            for start in range(0, len(ids), 500)
            for f in session.scalars(stmt.where(Fact.id.in_(ids[start : start + 500])))
        ]
    unique = _once_per_article(facts)
    owners = _holders_of(session, [f.id for f in unique])
    return [_handoff(fact, owners.get(fact.id, set())) for fact in unique]


def _once_per_article(facts: Sequence[Fact]) -> list[Fact]:
    """Each amount of an article once: its title, lead and body repeat the same fact, naming the
    project in one place (青枫储能电站项目, 储能电站项目) and only the investor or nobody in another.
    Two mentions are one fact when the amount is the same and one's subject is missing or holds
    the other's."""
    subjects: dict[tuple[int, int, str], list[str]] = {}
    unique = []
    for fact in facts:
        seen = subjects.setdefault((fact.article_id, fact.amount_fen, fact.currency), [])
        subject = fact.project or fact.org or ""
        if seen and any(subject in other or other in subject for other in seen):
            continue
        seen.append(subject)
        unique.append(fact)
    return unique


def _holders_of(session: Session, fact_ids: list[int]) -> dict[int, set[str]]:
    owners: dict[int, set[str]] = {}
    for start in range(0, len(fact_ids), 500):
        stmt = select(Link.fact_id, Link.target).where(
            Link.fact_id.in_(fact_ids[start : start + 500]),
            Link.target_type == "org",
            Link.status.in_(HOLDING),
        )
        for fact_id, uscc in session.execute(stmt):
            owners.setdefault(fact_id, set()).add(uscc)
    return owners


def _handoff(fact: Fact, usccs: set[str]) -> dict[str, Any]:
    return {
        "source_ref": f"intel:fact:{fact.id}",
        "sentence": fact.sentence,
        "event": fact.event,
        "planned": fact.planned,
        "aggregate": fact.aggregate,
        "reported_on": fact.published,
        "cue": fact.cue,
        "org_names": tuple(dict.fromkeys([n for n in (fact.org, *fact.org_list) if n])),
        "usccs": tuple(sorted(usccs)),
        "project_name": fact.project,
        "amount_fen": fact.amount_fen,
        "currency": fact.currency,
        "kind": fact.kind,
        "place_code": fact.place,
        "district": fact.district,
        "link": f"/intel/facts/{fact.id}",
        "title": fact.article.title,
    }
