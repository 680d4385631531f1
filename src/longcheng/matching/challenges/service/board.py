"""Lists of challenges: the public board, the desk of a seeker or officer, and their export.

Both lists take the same :class:`BoardFilter`; the desk (``managed``) keeps to the challenges
the actor may manage (a manager sees all, a firm its own) and counts the proposals of each.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.clock import utcnow
from longcheng.matching import permissions as perm
from longcheng.matching.challenges.models import Challenge, ChallengeStatus, Proposal
from longcheng.matching.ranker import default_taxonomy


@dataclass(frozen=True)
class BoardFilter:
    """Filters of the public board."""

    status: ChallengeStatus | None = None
    field: str | None = None
    top_ten: bool = False
    q: str = ""


def _filtered(query: Select[Any], filters: BoardFilter) -> Select[Any]:
    now = utcnow()
    if filters.status is ChallengeStatus.open:
        query = query.where(Challenge.status == "open", Challenge.deadline > now)
    elif filters.status is ChallengeStatus.closed:
        query = query.where(
            (Challenge.status == "closed") | ((Challenge.status == "open") & (Challenge.deadline <= now))
        )
    elif filters.status is ChallengeStatus.solved:
        query = query.where(Challenge.status == "solved")
    if filters.field:
        query = query.where(Challenge.field.contains(filters.field))
    if filters.top_ten:
        query = query.where(Challenge.top_ten.is_(True))
    if filters.q:
        query = query.where(Challenge.title.contains(filters.q) | Challenge.summary.contains(filters.q))
    return query


def board(
    session: Session, *, filters: BoardFilter, page: int = 1, page_size: int = 20
) -> tuple[list[Challenge], int]:
    """The public board: newest first, filtered; status is the shown one (deadline applied)."""
    query = _filtered(select(Challenge), filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Challenge.id.desc()).offset((page - 1) * page_size).limit(page_size)
    ).all()
    return list(rows), total


def _managed_query(actor: Actor, filters: BoardFilter) -> Select[Any]:
    require(actor, perm.CHALLENGE_PUBLISH)
    query = _filtered(select(Challenge), filters)
    if not can(actor, perm.CHALLENGE_MANAGE):
        mine = Challenge.created_by_id == actor.id
        if actor.org_uscc:
            mine = mine | (Challenge.seeker_uscc == actor.org_uscc)
        query = query.where(mine)
    return query


def managed(
    session: Session, *, actor: Actor, filters: BoardFilter, page: int = 1, page_size: int = 20
) -> tuple[list[tuple[Challenge, int]], int]:
    """The challenges ``actor`` manages (a manager: all; a firm: its own), with proposal counts."""
    query = _managed_query(actor, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(query.order_by(Challenge.id.desc()).offset((page - 1) * page_size).limit(page_size))
    )
    counted = session.execute(
        select(Proposal.challenge_id, func.count(Proposal.id))
        .where(Proposal.challenge_id.in_([c.id for c in rows]))
        .group_by(Proposal.challenge_id)
    )
    counts: dict[int, int] = {row[0]: row[1] for row in counted}
    return [(c, counts.get(c.id, 0)) for c in rows], total


def iter_export(
    session: Session, *, actor: Actor | None, filters: BoardFilter, limit: int, managed_only: bool = False
) -> Iterator[Challenge]:
    """The filtered board (or the actor's desk), newest first, at most ``limit`` rows."""
    if managed_only and actor is not None:
        query = _managed_query(actor, filters)
    else:
        query = _filtered(select(Challenge), filters)
    yield from session.scalars(query.order_by(Challenge.id.desc()).limit(limit))


def fields() -> list[str]:
    """The taxonomy's fields, for forms and filters."""
    return default_taxonomy().fields
