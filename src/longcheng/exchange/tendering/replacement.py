"""A panel expert who leaves — recused after declaring a conflict, or absent at the evaluation —
is replaced at once by a fresh random draw from the expert pool, with every bidder's conflicts
excluded (the pool's ``substitute`` repeated until the newcomer is clean). The seed is random and
recorded with the old and new expert, so the draw can be re-run and checked."""

from __future__ import annotations

import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.exchange import service as parties
from longcheng.exchange.tendering import evaluation
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering.models import Tender, TenderEvaluation, TenderPanelMember
from longcheng.exchange.tendering.service import ENTITY, get
from longcheng.experts import service as experts_service

# The automatic draw acts for the platform, not for the expert who left nor the officer.
DRAWER = Actor(id=None, username="system", role=Role.admin, display_name="系统（自动补抽）")
STATE_LABELS = {"recused": "声明回避", "absent": "缺席"}


def replace(
    session: Session, *, tender: Tender, member: TenderPanelMember, state: str, reason: str
) -> TenderPanelMember:
    """Take ``member`` off the panel (``state`` recused | absent) and seat a fresh, conflict-free draw."""
    seed = secrets.randbelow(2**31)
    bad = set(evaluation.conflicted(session, DRAWER, evaluation.bidders(session, tender)))
    member.state, member.reasons = state, [reason] if reason else []
    session.flush()
    new_id = evaluation.clean(session, DRAWER, tender, [member.expert_id], bad | {member.expert_id}, seed)[0]
    expert = experts_service.get(session, actor=DRAWER, expert_id=new_id)
    row = TenderPanelMember(
        tender_id=tender.id,
        expert_id=expert.id,
        user_id=expert.user_id,
        expert_code=expert.code,
        expert_name=expert.name,
        state="panel",
        reasons=[],
        replaces_id=member.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=DRAWER,
        action="exchange.tender.panel_replace",
        entity_type=ENTITY,
        entity_id=tender.code,
        before={"评标专家": member.expert_code},
        after={"评标专家": expert.code, "替换原因": STATE_LABELS[state], "随机种子": seed},
        reason=reason or STATE_LABELS[state],
    )
    return row


def declare(session: Session, *, actor: Actor, code: str, has_conflict: bool, statement: str = "") -> bool:
    """The panel expert's declaration; a declared conflict recuses them and a fresh draw takes the seat."""
    tender = get(session, code)
    member = evaluation.member_of(session, tender, actor)
    ok = evaluation.declare(session, actor=actor, code=code, has_conflict=has_conflict, statement=statement)
    if has_conflict:
        replace(session, tender=tender, member=member, state="recused", reason=statement)
    return ok


def mark_absent(
    session: Session, *, actor: Actor, code: str, expert_code: str, reason: str
) -> TenderPanelMember:
    """An officer records a panel expert as absent; a fresh draw takes the seat. An expert who has
    already scored cannot be marked absent (the scores stand)."""
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    inst = next(i for i in parties.institutions(session) if i.id == tender.institution_id)
    parties.acting_institution(session, actor, inst.code)
    if tender.status != "opened":
        raise Conflict("本项目不在评标阶段。", code="tendering.not_evaluating")
    member = session.scalar(
        select(TenderPanelMember).where(
            TenderPanelMember.tender_id == tender.id,
            TenderPanelMember.expert_code == expert_code,
            TenderPanelMember.state == "panel",
        )
    )
    if member is None:
        raise NotFound("该专家不在本项目评标委员会中。", code="tendering.not_on_panel")
    if not reason.strip():
        raise ValidationFailed("请写明缺席情况。", code="tendering.reason_required")
    scored = session.scalar(
        select(func.count(TenderEvaluation.id)).where(
            TenderEvaluation.tender_id == tender.id, TenderEvaluation.expert_id == member.expert_id
        )
    )
    if scored:
        raise Conflict("该专家已评分，不能按缺席替换。", code="tendering.expert_scored")
    return replace(session, tender=tender, member=member, state="absent", reason=reason.strip())
