"""Behaviour of the registry: find, list, create and edit organisations, their tags and facts.

Every function takes the session first and the acting user as ``actor``; permissions are asked
of :func:`longcheng.core.auth.require`; every change writes its audit record; nothing commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import (
    Select,
    func,
    select,
)
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from longcheng.core import audit, hooks, totals
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import Proposed, can, require, require_visible
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.ids import normalise_uscc
from longcheng.core.paging import Page
from longcheng.registry import permissions as perm
from longcheng.registry import query
from longcheng.registry import search as name_search

# Bulk reads for modules that read whole populations (registry.bulk), re-exported.
from longcheng.registry.bulk import (
    TagRow as TagRow,
)
from longcheng.registry.bulk import (
    all_names as all_names,
)
from longcheng.registry.bulk import (
    facts_table as facts_table,
)
from longcheng.registry.bulk import (
    names_version as names_version,
)
from longcheng.registry.bulk import (
    org_rows as org_rows,
)
from longcheng.registry.bulk import (
    tag_rows as tag_rows,
)
from longcheng.registry.models import Organisation, OrgFact, OrgTag

# The people and holders of organisations (registry.people), re-exported for other modules.
from longcheng.registry.people.service import (
    legal_representative as legal_representative,
)
from longcheng.registry.people.service import (
    people_many as people_many,
)
from longcheng.registry.people.service import (
    people_of as people_of,
)
from longcheng.registry.people.service import (
    person_index_of as person_index_of,
)
from longcheng.registry.people.service import (
    related_parties as related_parties,
)
from longcheng.registry.people.service import (
    relation_keys as relation_keys,
)
from longcheng.registry.people.service import (
    relations_between as relations_between,
)
from longcheng.registry.people.service import (
    roles_of_person as roles_of_person,
)
from longcheng.registry.people.service import (
    set_people as set_people,
)
from longcheng.registry.query import filtered as filtered
from longcheng.registry.schemas import FactCreate, OrgCreate, OrgFilter, OrgUpdate, TagCreate


def search_text(name: str, former: list[str]) -> str:
    return "\n".join([name, *former])


def get_by_uscc(session: Session, *, actor: Actor, uscc: str) -> Organisation:
    """One organisation the actor may see; a firm outside their scope is "not found" like an
    unregistered code, so the answer reveals nothing about who is registered."""
    org = session.scalar(select(Organisation).where(Organisation.uscc == normalise_uscc(uscc)))
    missing = NotFound("未找到该统一社会信用代码对应的机构。", code="registry.not_found")
    return require_visible(actor, perm.ORG_READ, org, missing)


def list_orgs(
    session: Session,
    *,
    actor: Actor,
    filters: OrgFilter,
    page: int = 1,
    page_size: int = 20,
    with_tags: bool = False,
) -> Page[Organisation]:
    """One page of the list (``with_tags``: each row with today's valid tags, for the list page,
    read in the same statement): :func:`list_org_ids`, then :func:`orgs_by_ids`."""
    keys = list_org_ids(session, actor=actor, filters=filters, page=page, page_size=page_size)
    items = orgs_by_ids(session, actor=actor, ids=keys.items, with_tags=with_tags) if keys.items else []
    return Page(items, keys.total, keys.page, keys.page_size)


def list_org_ids(
    session: Session, *, actor: Actor, filters: OrgFilter, page: int = 1, page_size: int = 20
) -> Page[int]:
    """The ids of one page of the list, in its order, and the list's total.

    The total (kept by :mod:`longcheng.core.totals`) also picks the plan: when matches are
    dense, reading the sort index in order finds a page after a few hundred rows, where fetching
    and sorting every match (SQLite's choice for a search or an industry) reads thousands. The
    ids of five pages are kept the same way (:func:`totals.kept_keys`), so the next pages of a
    search are twenty look-ups by key."""
    require(actor, perm.ORG_READ)
    key = query.total_key(actor, filters)
    total = totals.total(session, key, lambda: query.count(session, actor, filters), stamps=query.STAMPS)

    def ordered(needed: int) -> Select[Organisation]:
        walk = query.dense(session, filters, total, needed)
        return query.filtered(session, actor, filters, walk=walk)

    return totals.kept_keys(
        session,
        ordered,
        key=(*key, filters.sort),
        page=page,
        page_size=page_size,
        total=total,
        stamps=query.STAMPS,
    )


def orgs_by_ids(
    session: Session, *, actor: Actor, ids: Sequence[int], with_tags: bool = False
) -> list[Organisation]:
    """The organisations of ``ids`` the actor may see, in that order (one gone since is left out)."""
    stmt = query.by_ids(session.get_bind().dialect.name, actor, local_today() if with_tags else None)
    return totals.in_order(ids, session.scalars(stmt, {"ids": list(ids)}))


def iter_export(session: Session, *, actor: Actor, filters: OrgFilter, limit: int) -> Iterator[Organisation]:
    """Exactly the filtered rows, streamed in batches with their tags loaded."""
    require(actor, perm.ORG_EXPORT)
    stmt = query.filtered(session, actor, filters).options(selectinload(Organisation.tags)).limit(limit)
    return iter(session.scalars(stmt.execution_options(yield_per=1000)))


def create(session: Session, *, actor: Actor, data: OrgCreate) -> Organisation:
    require(actor, perm.ORG_CREATE)
    if actor.district is not None and data.district != actor.district:
        require(actor, perm.ORG_CREATE, Proposed(data.uscc, data.district))
    if session.scalar(select(Organisation.id).where(Organisation.uscc == data.uscc)) is not None:
        raise Conflict(f"统一社会信用代码 {data.uscc} 已登记。", code="registry.duplicate_uscc")
    fields = data.model_dump(exclude={"former_names"})
    org = Organisation(
        **fields,
        former_names="\n".join(data.former_names),
        search_text=search_text(data.name, data.former_names),
        name_pinyin=name_search.pinyin_key(data.name),
    )
    session.add(org)
    session.flush()
    name_search.reindex(session, [(org.id, org.search_text)])
    audit.record(
        session,
        actor=actor,
        action="registry.org.create",
        entity_type="org",
        entity_id=org.uscc,
        after=org.audit_view(),
    )
    return org


def update(session: Session, *, actor: Actor, uscc: str, data: OrgUpdate, reason: str = "") -> Organisation:
    """Edit an organisation; a stale ``version`` means someone else saved first (409, nothing lost)."""
    org = get_by_uscc(session, actor=actor, uscc=uscc)
    require(actor, perm.ORG_UPDATE, org)
    if data.version != org.version:
        raise Conflict("该机构已被他人修改，请刷新页面查看最新内容后再保存。", code="registry.stale_version")
    before = org.audit_view()
    old_name = org.name
    for key, value in data.model_dump(exclude={"version", "former_names"}).items():
        setattr(org, key, value)
    names = list(data.former_names)
    if old_name != data.name and old_name not in names:
        names.insert(0, old_name)  # a renamed firm keeps its old name as 曾用名
    org.former_names, org.search_text = "\n".join(names), search_text(data.name, names)
    org.name_pinyin = name_search.pinyin_key(data.name)
    org.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("该机构已被他人修改，请刷新后重试。", code="registry.stale_version") from None
    name_search.reindex(session, [(org.id, org.search_text)])
    audit.record(
        session,
        actor=actor,
        action="registry.org.update",
        entity_type="org",
        entity_id=org.uscc,
        before=before,
        after=org.audit_view(),
        reason=reason,
    )
    return org


def add_tag(session: Session, *, actor: Actor, uscc: str, data: TagCreate) -> OrgTag:
    org = get_by_uscc(session, actor=actor, uscc=uscc)
    require(actor, perm.ORG_UPDATE, org)
    tag = OrgTag(org_id=org.id, **data.model_dump())
    session.add(tag)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="registry.tag.add",
        entity_type="org",
        entity_id=org.uscc,
        after=data.model_dump(),
    )
    return tag


def add_fact(session: Session, *, actor: Actor, uscc: str, data: FactCreate) -> OrgFact:
    org = get_by_uscc(session, actor=actor, uscc=uscc)
    require(actor, perm.ORG_UPDATE, org)
    key = (
        OrgFact.org_id == org.id,
        OrgFact.kind == data.kind,
        OrgFact.year == data.year,
        OrgFact.source == data.source,
    )
    if session.scalar(select(OrgFact.id).where(*key)) is not None:
        raise Conflict("同一来源的该年度数据已存在。", code="registry.duplicate_fact")
    fact = OrgFact(org_id=org.id, **data.model_dump())
    session.add(fact)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="registry.fact.add",
        entity_type="org",
        entity_id=org.uscc,
        after=data.model_dump(),
    )
    return fact


def history(session: Session, *, actor: Actor, org: Organisation) -> list[audit.AuditRecord]:
    """The organisation's 痕迹: every recorded change, newest first."""
    if not can(actor, perm.ORG_HISTORY, org):
        return []
    return audit.history(session, entity_type="org", entity_id=org.uscc)


def counts_by_district(session: Session, *, actor: Actor) -> list[tuple[str | None, int]]:
    require(actor, perm.ORG_READ)
    stmt = (
        select(Organisation.district, func.count())
        .where(perm.visible_to(actor))
        .group_by(Organisation.district)
        .order_by(func.count().desc())
    )
    return [(d, n) for d, n in session.execute(stmt)]


def counts_by_tag(session: Session, *, actor: Actor) -> list[tuple[str, int]]:
    require(actor, perm.ORG_READ)
    stmt = (
        select(OrgTag.tag, func.count(func.distinct(OrgTag.org_id)))
        .join(Organisation, Organisation.id == OrgTag.org_id)
        .where(perm.visible_to(actor), *query.tags_valid_today())
        .group_by(OrgTag.tag)
        .order_by(func.count(func.distinct(OrgTag.org_id)).desc())
    )
    return [(t, n) for t, n in session.execute(stmt)]


def get_many_by_uscc(session: Session, *, actor: Actor, usccs: Iterable[str]) -> dict[str, Organisation]:
    """Registered organisations by USCC, for modules that link their records to firms.

    Codes not registered are simply absent from the answer. A firm's registered identity (name,
    district) is public registration data, so a district officer linking an investor finds firms
    of every district here; an enterprise user finds only its own firm.
    """
    require(actor, perm.ORG_READ)
    codes = sorted({normalise_uscc(c) for c in usccs if c})
    found: dict[str, Organisation] = {}
    for start in range(0, len(codes), 500):
        stmt = select(Organisation).where(Organisation.uscc.in_(codes[start : start + 500]))
        if actor.role is Role.enterprise:
            stmt = stmt.where(perm.visible_to(actor))
        found.update({org.uscc: org for org in session.scalars(stmt)})
    return found


def on_data_restored(session: Session, *, actor: Actor, **_payload: Any) -> hooks.HookReply:
    """A backup was restored: rebuild the SQLite name index, which the archive leaves out."""
    indexed = name_search.rebuild(session)
    return hooks.HookReply("registry", f"已重建 {indexed} 家机构的名称索引。", {"indexed": indexed})
