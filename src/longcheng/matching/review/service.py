"""Review of proposals: experts drawn through ``longcheng.experts`` (its COI exclusion applies),
scoring on the challenge's rubric, the seeker's selection, feedback to the others.

* ``assign_experts`` draws experts for every proposal (context ``matching:<challenge code>``,
  ref ``proposal-<id>``, the solver's USCC as the applicant: the solver's own staff are never drawn).
* ``score_proposal`` checks the conflict again when the expert scores (an expert who has since
  joined the solver's institute is refused with ``matching.expert_conflict``).
* ``shortlist`` moves proposals from submitted to shortlisted (the seeker or a manager, after
  scoring); a shortlisted solver then sees an anonymous seeker's name and is told so.
* ``select`` marks one shortlisted proposal selected, the challenge solved, and writes every other
  proposal's feedback: the mean of each rubric criterion over its experts, the total, and the
  seeker's comment; each solver is notified through the notification centre.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select as sql_select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound, PermissionDenied
from longcheng.experts import service as experts_service
from longcheng.experts.schemas import AssignItem, DrawResult, ScoreIn
from longcheng.matching import permissions as perm
from longcheng.matching.challenges import service as challenges
from longcheng.matching.challenges.models import (
    PROPOSAL_MOVES,
    Challenge,
    ChallengeStatus,
    Proposal,
    ProposalStatus,
)
from longcheng.matching.review.models import Feedback
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source

RUBRIC = "standard"
# The matching taxonomy's fields → the expert pool's field codes (experts/data/fields.yaml).
EXPERT_FIELDS = {
    "新材料": "materials",
    "智能制造": "equipment",
    "装备与机械": "equipment",
    "新能源": "newenergy",
    "新能源汽车": "ev",
    "电子信息": "software",
    "生物医药": "biomed",
}
DEFAULT_COMMENT = "感谢参与揭榜。本次评审结果如上，欢迎关注后续榜单。"


def context_of(challenge: Challenge) -> str:
    return f"matching:{challenge.code}"


def ref_of(proposal: Proposal) -> str:
    return f"proposal-{proposal.id}"


def _proposal(session: Session, challenge: Challenge, proposal_id: int) -> Proposal:
    row = session.get(Proposal, proposal_id)
    if row is None or row.challenge_id != challenge.id:
        raise NotFound("未找到该揭榜申请。", code="matching.proposal_not_found")
    return row


def expert_field(challenge: Challenge) -> str:
    head = challenge.field.split("/")[0]
    return EXPERT_FIELDS.get(head, "management")


def assign_experts(
    session: Session, *, actor: Actor, code: str, per_item: int = 3, seed: int = 0
) -> DrawResult:
    """Draw experts for every proposal of the challenge (managers only)."""
    require(actor, perm.CHALLENGE_MANAGE)
    challenge = challenges.get(session, code=code)
    rows = challenges.proposals(session, actor=actor, code=code)
    if not rows:
        raise Conflict("该榜单还没有揭榜申请，无需抽取专家。", code="matching.no_proposals")
    items = [
        AssignItem(ref=ref_of(p), field=expert_field(challenge), applicant_uscc=p.solver_uscc or "")
        for p in rows
    ]
    return experts_service.assign(
        session, actor=actor, context=context_of(challenge), items=items, per_item=per_item, seed=seed
    )


def _my_expert_id(session: Session, *, actor: Actor, context: str, ref: str) -> int:
    for assigned in experts_service.assignments_for(session, actor=SYSTEM, context=context, ref=ref):
        expert = experts_service.get(session, actor=SYSTEM, expert_id=assigned.expert_id)
        if actor.id is not None and expert.user_id == actor.id:
            return assigned.expert_id
    raise PermissionDenied("该揭榜方案未分配给您评审。", code="matching.not_assigned")


def score_proposal(
    session: Session, *, actor: Actor, code: str, proposal_id: int, scores: dict[str, int], comment: str = ""
) -> int:
    """The assigned expert's scores on the rubric; refused when the expert is tied to the solver."""
    challenge = challenges.get(session, code=code)
    proposal = _proposal(session, challenge, proposal_id)
    context, ref = context_of(challenge), ref_of(proposal)
    expert_id = _my_expert_id(session, actor=actor, context=context, ref=ref)
    if proposal.solver_uscc:
        reasons = experts_service.conflicts(
            session, actor=SYSTEM, expert_id=expert_id, applicant_uscc=proposal.solver_uscc
        )
        if reasons:
            raise PermissionDenied(
                "您与揭榜方存在利益冲突，不能评审该方案：" + "；".join(r.label_zh for r in reasons) + "。",
                code="matching.expert_conflict",
            )
    row = experts_service.score(
        session,
        actor=actor,
        context=context,
        ref=ref,
        data=ScoreIn(rubric=RUBRIC, scores=scores, comment=comment),
    )
    return row.total


def _criteria_means(session: Session, context: str, ref: str) -> tuple[dict[str, str], str, int]:
    views = experts_service.scores_for(session, actor=SYSTEM, context=context, ref=ref)
    if not views:
        return {}, "", 0
    labels = _criterion_labels()
    means: dict[str, str] = {}
    for criterion in views[0].scores:
        values = [Decimal(v.scores.get(criterion, 0)) for v in views]
        means[labels.get(criterion, criterion)] = str(
            (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))
        )
    total = (sum((Decimal(v.total) for v in views), Decimal(0)) / len(views)).quantize(Decimal("0.1"))
    return means, str(total), len(views)


def _criterion_labels() -> dict[str, str]:
    """Labels of the standard rubric's criteria (the experts module owns the rubric itself)."""
    return {
        "innovation": "技术创新性",
        "feasibility": "实施可行性",
        "benefit": "经济社会效益",
        "team": "团队与基础",
    }


def move(proposal: Proposal, to: ProposalStatus) -> None:
    """Move a proposal along :data:`PROPOSAL_MOVES`; any other move is refused."""
    now = ProposalStatus(proposal.status)
    if to not in PROPOSAL_MOVES[now]:
        raise Conflict(
            f"揭榜申请“{proposal.title}”当前为“{now.label}”，不能改为“{to.label}”。",
            code="matching.proposal_state",
        )
    proposal.status = to.value


def _open_for_decision(session: Session, *, actor: Actor, code: str) -> Challenge:
    challenge = challenges.get(session, code=code)
    if not challenges.is_insider(challenge, actor):
        raise PermissionDenied("只有发榜方和管理人员可以确定入围和揭榜方。", code="matching.forbidden")
    if challenge.status == ChallengeStatus.solved.value:
        raise Conflict("该榜单已确定揭榜方。", code="matching.already_selected")
    return challenge


def shortlist(session: Session, *, actor: Actor, code: str, proposal_ids: list[int]) -> list[Proposal]:
    """Shortlist proposals (submitted → shortlisted); each solver is told, with the seeker's name."""
    challenge = _open_for_decision(session, actor=actor, code=code)
    if not proposal_ids:
        raise Conflict("请至少选择一份揭榜申请入围。", code="matching.shortlist_empty")
    chosen = [_proposal(session, challenge, pid) for pid in dict.fromkeys(proposal_ids)]
    for proposal in chosen:
        move(proposal, ProposalStatus.shortlisted)
    session.flush()
    for proposal in chosen:
        notifications.notify(
            session,
            actor=actor,
            recipients=Recipients(user_ids=(proposal.solver_user_id,)),
            kind="matching.shortlist",
            title=f"揭榜方案入围：{challenge.title}",
            body=f"您的方案“{proposal.title}”已入围，发榜方为{challenge.seeker_name}。",
            link=f"/matching/challenges/{challenge.code}#proposals",
            source=Source(module="matching", entity_type="proposal", entity_id=str(proposal.id)),
        )
    audit.record(
        session,
        actor=actor,
        action="matching.proposal.shortlist",
        entity_type=challenges.ENTITY,
        entity_id=code,
        after={"proposal": [p.title for p in chosen]},
    )
    return chosen


def select(
    session: Session, *, actor: Actor, code: str, proposal_id: int, comments: dict[int, str] | None = None
) -> list[Feedback]:
    """The seeker (or a manager) selects a shortlisted proposal; every other solver gets feedback."""
    challenge = _open_for_decision(session, actor=actor, code=code)
    chosen = _proposal(session, challenge, proposal_id)
    move(chosen, ProposalStatus.selected)
    context = context_of(challenge)
    out = []
    for proposal in challenges.proposals(session, actor=actor, code=code):
        if proposal.id == chosen.id:
            continue
        move(proposal, ProposalStatus.not_selected)
        means, total, count = _criteria_means(session, context, ref_of(proposal))
        feedback = Feedback(
            proposal_id=proposal.id,
            criteria=json.dumps(means, ensure_ascii=False),
            total=total,
            reviewers=count,
            comment=(comments or {}).get(proposal.id) or DEFAULT_COMMENT,
        )
        session.add(feedback)
        out.append(feedback)
        _notify_solver(session, actor=actor, challenge=challenge, proposal=proposal)
    challenge.status = ChallengeStatus.solved.value
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.proposal.select",
        entity_type=challenges.ENTITY,
        entity_id=code,
        after={"proposal": chosen.title, "feedback_count": len(out)},
    )
    return out


def _notify_solver(session: Session, *, actor: Actor, challenge: Challenge, proposal: Proposal) -> None:
    notifications.notify(
        session,
        actor=actor,
        recipients=Recipients(user_ids=(proposal.solver_user_id,)),
        kind="matching.feedback",
        title=f"揭榜结果反馈：{challenge.title}",
        body="您的方案未被选中，评审各项得分与意见已可查看。",
        link=f"/matching/challenges/{challenge.code}#proposals",
        source=Source(module="matching", entity_type="proposal", entity_id=str(proposal.id)),
    )


def feedback_for(session: Session, *, actor: Actor, code: str, proposal_id: int) -> dict[str, Any]:
    """The feedback of a proposal, for its solver or the insiders."""
    challenge = challenges.get(session, code=code)
    proposal = _proposal(session, challenge, proposal_id)
    if proposal.solver_user_id != actor.id and not challenges.is_insider(challenge, actor):
        raise PermissionDenied("只能查看自己方案的反馈。", code="matching.forbidden")
    row = session.scalar(sql_select(Feedback).where(Feedback.proposal_id == proposal.id))
    if row is None:
        raise NotFound("该方案暂无反馈。", code="matching.feedback_not_found")
    criteria: dict[str, str] = json.loads(row.criteria)
    return {
        "proposal": proposal.title,
        "status": proposal.status,
        "criteria": criteria,
        "total": row.total,
        "reviewers": row.reviewers,
        "comment": row.comment,
    }
