"""The broker's desk (managers only).

* ``suggest`` pairs every open challenge with its best capabilities (the ranker), keeping
  pairs already decided as they are.
* ``decide`` records accept or dismiss; the decisions are kept per pair (who, which) and
  reweight similar pairs the next time the ranker suggests (``broker.feedback``,
  ``ranker.feedback``: bounded, documented there).
* ``introduce`` tells both sides through the notification centre (the seeker's and the
  capability owner's enterprise users) and marks the pair introduced.
* ``advance`` moves the outcome forward: introduced → meeting → agreement → contract (with
  its amount); a step back or a contract without amount is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.matching import permissions as perm
from longcheng.matching.broker.models import DECISIONS, OUTCOME_ORDER, OUTCOMES, Pair
from longcheng.matching.capabilities import service as capabilities
from longcheng.matching.capabilities.models import Capability
from longcheng.matching.challenges import service as challenges
from longcheng.matching.challenges.models import Challenge, ChallengeStatus
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source

ENTITY = "matching.pair"


def suggest(session: Session, *, actor: Actor, per_challenge: int = 3) -> int:
    """Add the best capabilities of every open challenge as suggested pairs; returns how many new."""
    require(actor, perm.CHALLENGE_MANAGE)
    known = {(p.challenge_id, p.capability_id) for p in session.scalars(select(Pair))}
    added = 0
    for challenge in session.scalars(select(Challenge).order_by(Challenge.id)):
        if challenges.status_of(challenge) is not ChallengeStatus.open:
            continue
        for match in capabilities.for_challenge(session, actor=actor, code=challenge.code, top=per_challenge):
            capability = capabilities.get(session, code=match.code)
            if (challenge.id, capability.id) in known:
                continue
            session.add(
                Pair(
                    challenge_id=challenge.id,
                    capability_id=capability.id,
                    score=match.score,
                    why="\n".join(match.why),
                )
            )
            known.add((challenge.id, capability.id))
            added += 1
    session.flush()
    if added:
        audit.record(
            session,
            actor=actor,
            action="matching.pair.suggest",
            entity_type=ENTITY,
            entity_id="batch",
            after={"count": added},
        )
    return added


@dataclass(frozen=True)
class PairFilter:
    """Filters of the desk: decision, outcome, words in either side's title or organisation."""

    decision: str = ""
    outcome: str = ""
    q: str = ""


def _pair_query(filters: PairFilter) -> Select[Pair, Challenge, Capability]:
    stmt = select(Pair, Challenge, Capability).join(Challenge, Pair.challenge_id == Challenge.id)
    stmt = stmt.join(Capability, Pair.capability_id == Capability.id)
    if filters.decision in DECISIONS:
        stmt = stmt.where(Pair.decision == filters.decision)
    if filters.outcome in OUTCOMES:
        stmt = stmt.where(Pair.outcome == filters.outcome)
    if filters.q:
        q = filters.q
        stmt = stmt.where(
            Challenge.title.contains(q) | Capability.title.contains(q) | Capability.org_name.contains(q)
        )
    return stmt


def pairs(
    session: Session, *, actor: Actor, filters: PairFilter | None = None, limit: int | None = None
) -> list[tuple[Pair, Challenge, Capability]]:
    """The pairs with their two sides: undecided first, then best score first."""
    require(actor, perm.CHALLENGE_MANAGE)
    stmt = _pair_query(filters or PairFilter()).order_by(
        Pair.decision != "suggested", Pair.score.desc(), Pair.id
    )
    return [(p, c, k) for p, c, k in session.execute(stmt.limit(limit))]


def pair_page(
    session: Session, *, actor: Actor, filters: PairFilter, page: int = 1, page_size: int = 20
) -> tuple[list[tuple[Pair, Challenge, Capability]], int]:
    """One page of :func:`pairs` and the count of all."""
    require(actor, perm.CHALLENGE_MANAGE)
    stmt = _pair_query(filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    stmt = stmt.order_by(Pair.decision != "suggested", Pair.score.desc(), Pair.id)
    rows = session.execute(stmt.offset((page - 1) * page_size).limit(page_size))
    return [(p, c, k) for p, c, k in rows], total


def _pair(session: Session, pair_id: int) -> Pair:
    pair = session.get(Pair, pair_id, with_for_update=True)
    if pair is None:
        raise NotFound("未找到该推荐对接。", code="matching.pair_not_found")
    return pair


def decide(session: Session, *, actor: Actor, pair_id: int, accept: bool) -> Pair:
    """Accept or dismiss a suggestion (kept, with who decided)."""
    require(actor, perm.CHALLENGE_MANAGE)
    pair = _pair(session, pair_id)
    before = pair.decision
    pair.decision, pair.decided_by, pair.updated_at = (
        ("accepted" if accept else "dismissed"),
        actor.label,
        utcnow(),
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.pair.decide",
        entity_type=ENTITY,
        entity_id=pair.id,
        before={"decision": before},
        after={"decision": pair.decision},
    )
    return pair


def introduce(session: Session, *, actor: Actor, pair_id: int) -> int:
    """Introduce both sides to each other through the notification centre; returns messages sent."""
    require(actor, perm.CHALLENGE_MANAGE)
    pair = _pair(session, pair_id)
    if pair.decision != "accepted":
        raise Conflict("请先采纳该推荐，再发送引荐。", code="matching.pair_not_accepted")
    challenge = session.get(Challenge, pair.challenge_id)
    capability = session.get(Capability, pair.capability_id)
    assert challenge is not None
    assert capability is not None
    source = Source(module="matching", entity_type="pair", entity_id=str(pair.id))
    sent = 0
    for uscc, title, body, link in (
        (
            challenge.seeker_uscc,
            f"成果推荐：{capability.title}",
            f"{capability.org_name}的成果可能解决您的榜单“{challenge.title}”。",
            f"/matching/capabilities/{capability.code}",
        ),
        (
            capability.org_uscc,
            f"需求推荐：{challenge.title}",
            f"您的成果“{capability.title}”与该榜单匹配，欢迎揭榜。",
            f"/matching/challenges/{challenge.code}",
        ),
    ):
        if uscc:
            sent += len(
                notifications.notify(
                    session,
                    actor=actor,
                    recipients=Recipients(uscc=uscc),
                    kind="matching.introduction",
                    title=title,
                    body=body,
                    link=link,
                    source=source,
                    dedupe_key=f"pair-{pair.id}-{uscc}",
                )
            )
    if OUTCOME_ORDER.index(pair.outcome) < OUTCOME_ORDER.index("introduced"):
        pair.outcome = "introduced"
    pair.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.pair.introduce",
        entity_type=ENTITY,
        entity_id=pair.id,
        after={"outcome": pair.outcome, "count": sent},
    )
    return sent


def advance(
    session: Session, *, actor: Actor, pair_id: int, outcome: str, contract_fen: int | None = None
) -> Pair:
    """Move the outcome forward (meeting → agreement → contract with its amount in fen)."""
    require(actor, perm.CHALLENGE_MANAGE)
    if outcome not in OUTCOMES or outcome == "none":
        raise ValidationFailed(
            "对接进展须为 已对接洽谈、已达成意向 或 已签技术合同。", code="matching.invalid"
        )
    pair = _pair(session, pair_id)
    if OUTCOME_ORDER.index(outcome) <= OUTCOME_ORDER.index(pair.outcome):
        raise Conflict(
            f"对接进展已是“{OUTCOMES[pair.outcome]}”，不能退回或重复。", code="matching.pair_outcome_order"
        )
    if outcome == "contract" and not contract_fen:
        raise ValidationFailed(
            "签订技术合同须填写合同金额。",
            code="matching.contract_amount_required",
            details={"contract_amount": "必填"},
        )
    before = pair.outcome
    pair.outcome, pair.contract_fen, pair.updated_at = outcome, contract_fen, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.pair.advance",
        entity_type=ENTITY,
        entity_id=pair.id,
        before={"outcome": before},
        after={"outcome": outcome, "contract_fen": contract_fen},
    )
    return pair
