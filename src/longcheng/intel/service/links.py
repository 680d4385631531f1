"""Links of facts to registry organisations and places, and the review queue (待确认).

At ingest, every organisation named in a fact's sentence is matched against the registry
(``link.OrgDirectory``), so a firm's user sees the facts of the sentences that name it:
confident matches become ``auto`` links (the one of the fact's own organisation, nearest to its
amount, sets the fact's ``org_uscc``); the others become ``proposed`` links that an analyst
confirms or rejects. A fact's place becomes an ``auto`` link to the registry place (district or
zone) it names.

Decisions are audited in the same transaction: ``intel.link.confirm`` / ``intel.link.reject`` on
the link, and ``intel.fact.update`` on the fact when its organisation changes. Confirming one
organisation for a name rejects the other proposals for the same name in that fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, Table, func, insert, or_, select
from sqlalchemy.orm import Session, joinedload

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import Base
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.paging import Page, paginate
from longcheng.intel import permissions as perm
from longcheng.intel.extractor.gazetteer import PLACES
from longcheng.intel.linker import Candidate, OrgDirectory, OrgName
from longcheng.intel.models import Fact, Link, LinkStatus
from longcheng.intel.schemas import LinkFilter
from longcheng.registry import service as registry_service

_LEVEL = {p.code: p.level for p in PLACES}
_NAME = {p.code: p.name for p in PLACES}


@dataclass
class LinkCounts:
    auto: int = 0
    proposed: int = 0
    places: int = 0


def load_directory(session: Session, *, actor: Actor) -> OrgDirectory:
    """The registry's current and former names, indexed for matching."""
    names = registry_service.all_names(session, actor=actor)
    return OrgDirectory(OrgName(uscc, name, tuple(former)) for uscc, name, former in names)


Row = dict[str, Any]


def insert_rows(session: Session, model: type[Base], rows: list[Row]) -> list[int]:
    """Multi-row INSERT … RETURNING id, the ids in the order of ``rows`` (SQLite and PostgreSQL)."""
    if not rows:
        return []
    table = cast(Table, model.__table__)
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in session.connection().execute(stmt, rows).scalars()]


def _org_row(mention: str, candidate: Candidate) -> Row:
    return {
        "target_type": "org",
        "target": candidate.uscc,
        "target_name": candidate.name[:200],
        "mention": mention[:200],
        "method": candidate.method,
        "score": candidate.score,
        "status": LinkStatus.auto.value if candidate.auto else LinkStatus.proposed.value,
        "decided_by": "",
        "reason": "",
    }


def _org_rows(fact: Row, match: Callable[[str], list[Candidate]]) -> list[Row]:
    """Links for every organisation named in the fact's sentence, one per registry firm.

    The fact's own organisation (nearest to its amount) comes first; ``org_uscc`` becomes its
    automatic match, else the first automatic match in the sentence.
    """
    own = fact.get("org")
    best: dict[str, tuple[str, Candidate]] = {}
    for mention in dict.fromkeys(n for n in (own, *fact.get("orgs", "").splitlines()) if n):
        for candidate in match(mention):
            held = best.get(candidate.uscc)
            if held is None or (candidate.auto, candidate.score) > (held[1].auto, held[1].score):
                best[candidate.uscc] = (mention, candidate)
    for mention, candidate in best.values():
        if candidate.auto and (fact.get("org_uscc") is None or mention == own):
            fact["org_uscc"] = candidate.uscc
            if mention == own:
                break
    return [_org_row(mention, candidate) for mention, candidate in best.values()]


def _place_row(fact: Row) -> Row | None:
    """Districts and zones are registry places; a town links to its district."""
    place = fact.get("place")
    if place is None:
        return None
    code = place if _LEVEL.get(place) in ("district", "zone") else fact.get("district")
    if code is None:
        return None
    return {
        "target_type": "place",
        "target": code,
        "target_name": _NAME.get(code, code),
        "mention": (fact.get("place_name") or "")[:200],
        "method": "gazetteer",
        "score": 100,
        "status": LinkStatus.auto.value,
        "decided_by": "",
        "reason": "",
    }


def plan_links(
    directory: OrgDirectory, facts: list[Row], *, places: bool = True
) -> tuple[list[tuple[int, Row]], LinkCounts]:
    """The links of ``facts`` (plain rows) as ``(fact index, link row)``; sets each ``org_uscc``."""
    counts = LinkCounts()
    cache: dict[str, list[Candidate]] = {}

    def match(mention: str) -> list[Candidate]:
        if mention not in cache:
            cache[mention] = directory.match(mention)
        return cache[mention]

    planned: list[tuple[int, Row]] = []
    for at, fact in enumerate(facts):
        for row in _org_rows(fact, match):
            planned.append((at, row))
            if row["status"] == LinkStatus.auto.value:
                counts.auto += 1
            else:
                counts.proposed += 1
        place = _place_row(fact) if places else None
        if place is not None:
            planned.append((at, place))
            counts.places += 1
    return planned, counts


def store_links(session: Session, planned: list[tuple[int, Row]], fact_ids: list[int]) -> None:
    """Insert planned links once their facts have ids (no audit: part of the ingest record)."""
    insert_rows(session, Link, [row | {"fact_id": fact_ids[at]} for at, row in planned])


def relink(session: Session, *, actor: Actor, directory: OrgDirectory) -> LinkCounts:
    """Match again every fact whose organisation has no link yet (the registry has grown since)."""
    require(actor, perm.LINK_REVIEW)
    linked = select(Link.fact_id).where(Link.target_type == "org")
    facts = list(session.scalars(select(Fact).where(Fact.org.is_not(None), Fact.id.not_in(linked))))
    rows: list[Row] = [{"org": f.org, "orgs": f.orgs, "org_uscc": f.org_uscc} for f in facts]
    planned, counts = plan_links(directory, rows, places=False)
    for fact, row in zip(facts, rows, strict=True):
        fact.org_uscc = row["org_uscc"]
    session.flush()
    store_links(session, planned, [f.id for f in facts])
    audit.record(
        session,
        actor=actor,
        action="intel.link.relink",
        entity_type="intel_link",
        entity_id="relink",
        after={"facts": len(facts), "auto": counts.auto, "proposed": counts.proposed},
    )
    return counts


def _conditions(actor: Actor, f: LinkFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Link.status == f.status.value, Link.target_type == "org"]
    if f.q:
        conds.append(
            or_(Link.mention.contains(f.q, autoescape=True), Link.target_name.contains(f.q, autoescape=True))
        )
    return conds


def list_links(
    session: Session, *, actor: Actor, filters: LinkFilter, page: int = 1, page_size: int = 20
) -> Page[Link]:
    """The review queue (proposed links, best score first) or the links of another status."""
    require(actor, perm.LINK_READ)
    conds = _conditions(actor, filters)
    stmt: Select[Link] = (
        select(Link)
        .join(Fact, Fact.id == Link.fact_id)
        .where(*conds)
        .options(joinedload(Link.fact).joinedload(Fact.article))
        .order_by(Link.score.desc(), Link.id)
    )
    count = select(func.count(Link.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def get_link(session: Session, *, actor: Actor, link_id: int) -> Link:
    require(actor, perm.LINK_READ)
    link = session.scalar(
        select(Link).where(Link.id == link_id).options(joinedload(Link.fact).joinedload(Fact.article))
    )
    if link is None:
        raise NotFound("未找到该关联记录。", code="intel.link_not_found")
    return link


def links_of(session: Session, *, fact_id: int) -> list[Link]:
    stmt = select(Link).where(Link.fact_id == fact_id).order_by(Link.target_type, Link.score.desc(), Link.id)
    return list(session.scalars(stmt))


def _decide(session: Session, actor: Actor, link: Link, status: LinkStatus, reason: str) -> None:
    before = link.audit_view()
    link.status, link.decided_by, link.decided_at, link.reason = status.value, actor.label, utcnow(), reason
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"intel.link.{'confirm' if status is LinkStatus.confirmed else 'reject'}",
        entity_type="intel_link",
        entity_id=link.id,
        before=before,
        after=link.audit_view(),
        reason=reason,
    )


def _set_fact_org(session: Session, actor: Actor, fact: Fact, uscc: str | None, reason: str) -> None:
    if fact.org_uscc == uscc:
        return
    before = fact.audit_view()
    fact.org_uscc = uscc
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="intel.fact.update",
        entity_type="intel_fact",
        entity_id=fact.id,
        before=before,
        after=fact.audit_view(),
        reason=reason,
    )


def confirm(session: Session, *, actor: Actor, link_id: int, reason: str = "") -> Link:
    """An analyst confirms a link: the fact now belongs to that organisation (or place)."""
    link = get_link(session, actor=actor, link_id=link_id)
    require(actor, perm.LINK_REVIEW)
    if link.status == LinkStatus.confirmed.value:
        raise Conflict("该关联已确认，无需重复确认。", code="intel.link_already_confirmed")
    _decide(session, actor, link, LinkStatus.confirmed, reason)
    if link.target_type == "org":
        for other in links_of(session, fact_id=link.fact_id):
            if (
                other.target_type == "org"
                and other.id != link.id
                and other.status == LinkStatus.proposed.value
            ):
                _decide(session, actor, other, LinkStatus.rejected, f"已确认关联到 {link.target_name}")
        _set_fact_org(session, actor, link.fact, link.target, reason or "确认关联")
    return link


def reject(session: Session, *, actor: Actor, link_id: int, reason: str = "") -> Link:
    """An analyst rejects a link; a fact that belonged to that organisation no longer does."""
    link = get_link(session, actor=actor, link_id=link_id)
    require(actor, perm.LINK_REVIEW)
    if link.status == LinkStatus.rejected.value:
        raise Conflict("该关联已驳回，无需重复驳回。", code="intel.link_already_rejected")
    _decide(session, actor, link, LinkStatus.rejected, reason)
    if link.target_type == "org" and link.fact.org_uscc == link.target:
        _set_fact_org(session, actor, link.fact, None, reason or "驳回关联")
    return link


def link_manually(session: Session, *, actor: Actor, fact: Fact, uscc: str, reason: str = "") -> Link:
    """An analyst links a fact to a registered organisation the matcher did not offer."""
    require(actor, perm.LINK_REVIEW)
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    existing = session.scalar(
        select(Link).where(Link.fact_id == fact.id, Link.target_type == "org", Link.target == org.uscc)
    )
    if existing is not None:
        return (
            existing
            if existing.status == LinkStatus.confirmed.value
            else confirm(session, actor=actor, link_id=existing.id, reason=reason)
        )
    link = Link(
        fact=fact,
        target_type="org",
        target=org.uscc,
        target_name=org.name[:200],
        mention=(fact.org or org.name)[:200],
        method="manual",
        score=100,
        status=LinkStatus.proposed.value,
    )
    session.add(link)
    session.flush()
    return confirm(session, actor=actor, link_id=link.id, reason=reason or "人工关联")


def pending_count(session: Session, *, actor: Actor) -> int:
    require(actor, perm.LINK_READ)
    stmt = select(func.count(Link.id)).where(
        Link.status == LinkStatus.proposed.value, Link.target_type == "org"
    )
    return session.scalar(stmt) or 0
