"""揭榜挂帅: publish a challenge, gate its details behind the agreement, take proposals.

* The public sees the summary (the seeker's name hidden when anonymous, until shortlisting);
  the details only after accepting the challenge's agreement, version by version: each
  acceptance is logged (who, when, which version) and audited. The seeker and managers read
  them without.
* Proposals are taken until the deadline, from solvers who accepted the current agreement.
* Publishing refuses a deadline in the past and a target TRL below the current one.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.matching import permissions as perm
from longcheng.matching.challenges.models import (
    AgreementAcceptance,
    Challenge,
    ChallengeStatus,
    Proposal,
    ProposalStatus,
)
from longcheng.matching.challenges.schemas import ChallengeIn, ProposalIn

ENTITY = "matching.challenge"
ANONYMOUS_SEEKER = "匿名发榜方"


class ChallengeNotFound(NotFound):
    code = "matching.challenge_not_found"
    message = "未找到该榜单。"


class AgreementRequired(PermissionDenied):
    code = "matching.agreement_required"
    message = "查看保密详情前须先阅读并接受本榜单的揭榜协议。"


class DeadlinePassed(Conflict):
    code = "matching.deadline_passed"
    message = "本榜单已过截止时间，不再接受揭榜申请。"


def check_dates_and_trl(data: ChallengeIn) -> None:
    if data.deadline <= utcnow():
        raise ValidationFailed(
            "截止时间不能早于当前时间。",
            code="matching.deadline_in_past",
            details={"deadline": "截止时间已过"},
        )
    if data.trl_target < data.trl_current:
        raise ValidationFailed(
            f"目标技术成熟度（{data.trl_target}级）不能低于当前技术成熟度（{data.trl_current}级）。",
            code="matching.trl_target_below_current",
            details={"trl_target": "低于当前技术成熟度"},
        )


def _next_code(session: Session) -> str:
    year = local_today().year
    n = (session.scalar(select(func.count(Challenge.id))) or 0) + 1
    while session.scalar(select(Challenge.id).where(Challenge.code == f"JB{year}-{n:04d}")):
        n += 1
    return f"JB{year}-{n:04d}"


def _seeker(actor: Actor, data: ChallengeIn) -> tuple[str | None, str]:
    if actor.role == Role.enterprise:
        if not actor.org_uscc:
            raise PermissionDenied("企业账号未绑定统一社会信用代码，不能发榜。", code="matching.no_org")
        return actor.org_uscc, data.seeker_name or actor.display_name or actor.username
    if not data.seeker_name:
        raise ValidationFailed(
            "代企业发榜时须填写发榜单位。", code="matching.invalid", details={"seeker_name": "必填"}
        )
    return None, data.seeker_name


def publish(session: Session, *, actor: Actor, data: ChallengeIn) -> Challenge:
    """Publish a challenge (an enterprise for itself, an officer or admin on a firm's behalf)."""
    require(actor, perm.CHALLENGE_PUBLISH)
    check_dates_and_trl(data)
    uscc, name = _seeker(actor, data)
    challenge = Challenge(
        code=_next_code(session),
        title=data.title,
        field=data.field,
        summary=data.summary,
        details=data.details,
        trl_current=data.trl_current,
        trl_target=data.trl_target,
        budget_fen=data.budget,
        deadline=data.deadline,
        ip_terms=data.ip_terms.value,
        agreement_version=1,
        agreement_text=data.agreement_text,
        seeker_uscc=uscc,
        seeker_name=name,
        anonymous=data.anonymous,
        district=data.district or actor.district,
        top_ten=data.top_ten and can(actor, perm.CHALLENGE_MANAGE),
        created_by_id=actor.id,
    )
    session.add(challenge)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.challenge.publish",
        entity_type=ENTITY,
        entity_id=challenge.code,
        after={
            "title": data.title,
            "field": data.field,
            "budget_fen": data.budget,
            "deadline": data.deadline.isoformat(),
        },
    )
    return challenge


def get(session: Session, *, code: str) -> Challenge:
    """A challenge by its code (the public summary is readable by anyone)."""
    challenge = session.scalar(select(Challenge).where(Challenge.code == code))
    if challenge is None:
        raise ChallengeNotFound()
    return challenge


def status_of(challenge: Challenge) -> ChallengeStatus:
    """The board status: an open challenge past its deadline shows as closed."""
    status = ChallengeStatus(challenge.status)
    if status is ChallengeStatus.open and challenge.deadline <= utcnow():
        return ChallengeStatus.closed
    return status


def seeker_label(challenge: Challenge, actor: Actor | None, *, revealed: bool = False) -> str:
    """The seeker's name as ``actor`` may see it: an anonymous seeker stays hidden from solvers
    until they are shortlisted (``revealed``, see :func:`revealed_to`)."""
    if not challenge.anonymous or revealed or (actor is not None and is_insider(challenge, actor)):
        return challenge.seeker_name
    return ANONYMOUS_SEEKER


def revealed_to(session: Session, *, challenge: Challenge, actor: Actor | None) -> bool:
    """Whether ``actor`` may see the seeker's name: an insider, or a shortlisted (or selected) solver."""
    if not challenge.anonymous or actor is None or is_insider(challenge, actor):
        return True
    shown = (ProposalStatus.shortlisted.value, ProposalStatus.selected.value)
    return (
        session.scalar(
            select(Proposal.id).where(
                Proposal.challenge_id == challenge.id,
                Proposal.solver_user_id == actor.id,
                Proposal.status.in_(shown),
            )
        )
        is not None
    )


def is_insider(challenge: Challenge, actor: Actor) -> bool:
    """The seeker itself, its publisher, or a manager (admin/officer)."""
    if can(actor, perm.CHALLENGE_MANAGE) or (actor.id is not None and actor.id == challenge.created_by_id):
        return True
    return bool(actor.org_uscc and actor.org_uscc == challenge.seeker_uscc)


def has_accepted(session: Session, *, challenge: Challenge, actor: Actor) -> bool:
    """Whether ``actor`` accepted the challenge's current agreement version."""
    return (
        actor.id is not None
        and session.scalar(
            select(AgreementAcceptance.id).where(
                AgreementAcceptance.challenge_id == challenge.id,
                AgreementAcceptance.user_id == actor.id,
                AgreementAcceptance.version == challenge.agreement_version,
            )
        )
        is not None
    )


def accept_agreement(session: Session, *, actor: Actor, code: str, version: int) -> AgreementAcceptance:
    """Log the click-through acceptance of the agreement's current version (idempotent)."""
    require(actor, perm.CHALLENGE_SOLVE)
    challenge = get(session, code=code)
    if version != challenge.agreement_version:
        raise Conflict(
            f"揭榜协议已更新为第 {challenge.agreement_version} 版，请阅读新版本后再接受。",
            code="matching.agreement_version_stale",
        )
    found = session.scalar(
        select(AgreementAcceptance).where(
            AgreementAcceptance.challenge_id == challenge.id,
            AgreementAcceptance.user_id == actor.id,
            AgreementAcceptance.version == version,
        )
    )
    if found is not None:
        return found
    row = AgreementAcceptance(
        challenge_id=challenge.id, user_id=actor.id or 0, user_label=actor.label, version=version
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.agreement.accept",
        entity_type=ENTITY,
        entity_id=code,
        after={"agreement_version": version},
    )
    return row


def read_details(session: Session, *, actor: Actor | None, code: str) -> Challenge:
    """The challenge with its gated details; refused unless accepted (or an insider)."""
    challenge = get(session, code=code)
    if actor is None:
        raise AgreementRequired("请先登录并接受揭榜协议后查看保密详情。")
    if not is_insider(challenge, actor) and not has_accepted(session, challenge=challenge, actor=actor):
        raise AgreementRequired()
    return challenge


def acceptances(session: Session, *, actor: Actor, code: str) -> Sequence[AgreementAcceptance]:
    """The access log of a challenge's details (insiders only)."""
    challenge = get(session, code=code)
    if not is_insider(challenge, actor):
        raise PermissionDenied("只有发榜方和管理人员可以查看协议接受记录。", code="matching.forbidden")
    return session.scalars(
        select(AgreementAcceptance)
        .where(AgreementAcceptance.challenge_id == challenge.id)
        .order_by(AgreementAcceptance.id)
    ).all()


def submit_proposal(session: Session, *, actor: Actor, code: str, data: ProposalIn) -> Proposal:
    """A solver's proposal: before the deadline, after accepting the agreement, one per solver."""
    require(actor, perm.CHALLENGE_SOLVE)
    challenge = get(session, code=code)
    if status_of(challenge) is not ChallengeStatus.open:
        raise DeadlinePassed()
    if not has_accepted(session, challenge=challenge, actor=actor):
        raise AgreementRequired("提交揭榜申请前须先接受本榜单的揭榜协议。")
    if actor.org_uscc and actor.org_uscc == challenge.seeker_uscc:
        raise PermissionDenied("发榜企业不能揭自己的榜。", code="matching.own_challenge")
    if session.scalar(
        select(Proposal.id).where(Proposal.challenge_id == challenge.id, Proposal.solver_user_id == actor.id)
    ):
        raise Conflict("您已提交过本榜单的揭榜申请。", code="matching.proposal_duplicate")
    proposal = Proposal(
        challenge_id=challenge.id,
        solver_user_id=actor.id or 0,
        solver_name=data.solver_name or actor.display_name or actor.username,
        solver_uscc=actor.org_uscc,
        title=data.title,
        approach=data.approach,
    )
    session.add(proposal)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.proposal.submit",
        entity_type=ENTITY,
        entity_id=code,
        after={"proposal": data.title, "solver": proposal.solver_name},
    )
    return proposal


def proposals(session: Session, *, actor: Actor, code: str) -> Sequence[Proposal]:
    """The proposals to a challenge: insiders see all, a solver only their own."""
    challenge = get(session, code=code)
    query = select(Proposal).where(Proposal.challenge_id == challenge.id).order_by(Proposal.id)
    if not is_insider(challenge, actor):
        query = query.where(Proposal.solver_user_id == actor.id)
    return session.scalars(query).all()
