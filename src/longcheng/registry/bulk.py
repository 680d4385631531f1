"""Bulk reads of the registry for modules that work on whole populations: every firm's names for
the intel module's extractor and linker (with a version that says when to load them again), and
the organisations, tags and dated facts the policy batch evaluates. Core rows, not ORM objects;
each read asks ``registry.org.read`` and keeps to the actor's scope. Reached through
``registry.service``, which re-exports them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.ids import normalise_uscc
from longcheng.registry import permissions as perm
from longcheng.registry.models import Organisation, OrgFact, OrgTag


def all_names(session: Session, *, actor: Actor) -> list[tuple[str, str, list[str]]]:
    """Every organisation's ``(uscc, name, former names)``, for modules that recognise and link
    firm names in text (the intel module's extractor and linker).

    Registered names are public registration data; an enterprise user gets only its own firm.
    """
    require(actor, perm.ORG_READ)
    stmt = select(Organisation.uscc, Organisation.name, Organisation.former_names).order_by(Organisation.id)
    if actor.role is Role.enterprise:
        stmt = stmt.where(perm.visible_to(actor))
    return [
        (uscc, name, [n for n in former.splitlines() if n.strip()])
        for uscc, name, former in session.execute(stmt.execution_options(yield_per=5000))
    ]


# -- bulk reads for modules that evaluate whole populations (the policy batch) -----------------
TagRow = tuple[str, str, str | None, date, date | None]


def _population(actor: Actor, usccs: Collection[str] | None) -> list[ColumnElement[bool]]:
    conds = [perm.visible_to(actor)]
    if usccs is not None:
        conds.append(Organisation.uscc.in_(sorted({normalise_uscc(c) for c in usccs})))
    return conds


def org_rows(
    session: Session,
    *,
    actor: Actor,
    org_types: Collection[str] | None = None,
    usccs: Collection[str] | None = None,
) -> list[tuple[str, str, str | None]]:
    """``(uscc, name, district)`` of every organisation in the actor's scope, in id order."""
    require(actor, perm.ORG_READ)
    session.flush()  # the reads below bypass the ORM's autoflush
    stmt = select(Organisation.uscc, Organisation.name, Organisation.district).where(
        *_population(actor, usccs)
    )
    if org_types is not None:
        stmt = stmt.where(Organisation.org_type.in_(sorted(org_types)))
    rows = session.connection().execute(stmt.order_by(Organisation.id))  # Core rows: no ORM overhead
    return [(uscc, name, district) for uscc, name, district in rows]


def tag_rows(
    session: Session, *, actor: Actor, tags: Collection[str], usccs: Collection[str] | None = None
) -> list[TagRow]:
    """``(uscc, tag, level, valid_from, valid_to)`` of every tag of these types, oldest first."""
    require(actor, perm.ORG_READ)
    session.flush()  # the reads below bypass the ORM's autoflush
    stmt = (
        select(Organisation.uscc, OrgTag.tag, OrgTag.level, OrgTag.valid_from, OrgTag.valid_to)
        .join(Organisation, Organisation.id == OrgTag.org_id)
        .where(OrgTag.tag.in_(sorted(tags)), *_population(actor, usccs))
        .order_by(OrgTag.valid_from, OrgTag.id)
    )
    return [(u, t, lv, start, end) for u, t, lv, start, end in session.connection().execute(stmt)]


def facts_table(
    session: Session,
    *,
    actor: Actor,
    kinds: Collection[str],
    years: Collection[int],
    usccs: Collection[str] | None = None,
) -> dict[tuple[str, str, int], int]:
    """``{(uscc, kind, year): value}``; where several sources report the same fact, the one
    recorded last wins (a correction supersedes the original filing)."""
    require(actor, perm.ORG_READ)
    session.flush()  # the reads below bypass the ORM's autoflush
    stmt = (
        select(Organisation.uscc, OrgFact.kind, OrgFact.year, OrgFact.value)
        .join(Organisation, Organisation.id == OrgFact.org_id)
        .where(OrgFact.kind.in_(sorted(kinds)), OrgFact.year.in_(sorted(years)), *_population(actor, usccs))
        .order_by(OrgFact.recorded_at, OrgFact.id)
    )
    return {(u, k, y): v for u, k, y, v in session.connection().execute(stmt)}


def names_version(session: Session, *, actor: Actor) -> tuple[int, int, str]:
    """A value that changes whenever an organisation is added, removed or edited: modules that
    keep :func:`all_names` in memory use it to know when to load the names again."""
    require(actor, perm.ORG_READ)
    count, last_id, last_update = session.execute(
        select(func.count(Organisation.id), func.max(Organisation.id), func.max(Organisation.updated_at))
    ).one()
    return int(count or 0), int(last_id or 0), str(last_update or "")
