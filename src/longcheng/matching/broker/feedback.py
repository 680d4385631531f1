"""What the desk has learned: broker decisions as ranker feedback, and past collaboration.

* :func:`pair_keys` names what makes two pairs "similar" for the feedback weights
  (``ranker.feedback``): the same field pair, the same organisation within the challenge's
  field, the same kind of capability within that field.
* :func:`learned` reads every accepted or dismissed pair into a :class:`Feedback`.
* :func:`collaborations` finds, for a seeker, the organisations that worked with it before:
  a 揭榜合同 on one of its challenges, a proposal to one, or a broker pair that reached a
  technology contract. Each becomes a "why" entry and a small, fixed bonus.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.matching.broker.models import Pair
from longcheng.matching.capabilities.models import Capability
from longcheng.matching.challenges.models import Challenge, Proposal
from longcheng.matching.contracts.models import Contract
from longcheng.matching.ranker.feedback import Decision, Feedback

COLLABORATION_BONUS = 1.05  # a past partner's score is lifted by 5 %, never more


def _head(field: str | None) -> str:
    return (field or "").split("/")[0] or "未分类"


def pair_keys(challenge_field: str, capability: Capability) -> tuple[str, ...]:
    """The feature keys of a challenge–capability pair."""
    field = _head(challenge_field)
    return (
        f"field:{field}>{_head(capability.field)}",
        f"org:{capability.org_uscc}@{field}",
        f"kind:{capability.kind}@{field}",
    )


def learned(session: Session) -> Feedback:
    """Every decided pair of the desk as feedback."""
    stmt = (
        select(Pair.decision, Challenge.field, Capability)
        .join(Challenge, Pair.challenge_id == Challenge.id)
        .join(Capability, Pair.capability_id == Capability.id)
        .where(Pair.decision != "suggested")
    )
    return Feedback(
        Decision(pair_keys(field, capability), decision == "accepted")
        for decision, field, capability in session.execute(stmt)
    )


def collaborations(session: Session, *, challenge: Challenge) -> dict[str, str]:
    """``{organisation USCC: why}`` for those that worked with this challenge's seeker before."""
    if not challenge.seeker_uscc:
        return {}
    out: dict[str, str] = {}
    contracts = (
        select(Proposal.solver_uscc, Challenge.title)
        .join(Contract, Contract.proposal_id == Proposal.id)
        .join(Challenge, Proposal.challenge_id == Challenge.id)
        .where(Challenge.seeker_uscc == challenge.seeker_uscc, Proposal.solver_uscc.is_not(None))
    )
    for uscc, title in session.execute(contracts):
        out.setdefault(uscc or "", f"曾合作：与发榜方签订过揭榜合同（榜单“{title}”）")
    brokered = (
        select(Capability.org_uscc, Capability.title)
        .join(Pair, Pair.capability_id == Capability.id)
        .join(Challenge, Pair.challenge_id == Challenge.id)
        .where(Challenge.seeker_uscc == challenge.seeker_uscc, Pair.outcome == "contract")
    )
    for uscc, title in session.execute(brokered):
        out.setdefault(uscc, f"曾合作：经技术经纪与发榜方签订技术合同（成果“{title}”）")
    proposals = (
        select(Proposal.solver_uscc, Challenge.title)
        .join(Challenge, Proposal.challenge_id == Challenge.id)
        .where(
            Challenge.seeker_uscc == challenge.seeker_uscc,
            Challenge.id != challenge.id,
            Proposal.solver_uscc.is_not(None),
        )
    )
    for uscc, title in session.execute(proposals):
        out.setdefault(uscc or "", f"曾合作：揭过该发榜方的榜单“{title}”")
    out.pop("", None)
    return out
