"""Expert review through the public service: draws with COI exclusion, declarations, scores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session
from tests.experts.conftest import MakeExpert
from tests.factories import make_org, new_uscc

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.clock import local_today
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.core.pii import ids
from longcheng.experts import service as experts_service
from longcheng.experts.models import Expert
from longcheng.experts.schemas import AssignItem, DeclareIn, ScoreIn
from longcheng.registry import service as registry_service
from longcheng.registry.people.schemas import OrgPersonIn

CTX = "test:window:1"


def test_assign_excludes_conflicts_and_records_the_seed(session: Session, make_expert: MakeExpert) -> None:
    """The applicant's employee and a recent former employee are never drawn; the draw is audited."""
    applicant = new_uscc()
    insider = make_expert(employer_uscc=applicant)
    recent = make_expert(
        former_employers=[{"uscc": applicant, "ended_on": local_today() - timedelta(days=400)}]
    )
    others = [make_expert() for _ in range(4)]
    result = experts_service.assign(
        session, actor=SYSTEM, context=CTX, items=[AssignItem("A1", "ai", applicant)], per_item=4, seed=9
    )
    drawn = {a.expert_id for a in result.assigned}
    assert drawn == {e.id for e in others}
    assert insider.id not in drawn
    assert recent.id not in drawn
    assert result.excluded == {"A1": 2}
    rec = audit.history(session, entity_type="expert_review", entity_id=CTX)[0]
    assert rec.diff_data["随机种子"] == [None, 9]
    with pytest.raises(Conflict):
        experts_service.assign(
            session, actor=SYSTEM, context=CTX, items=[AssignItem("A1", "ai", applicant)], per_item=1, seed=1
        )


def test_conflicts_names_the_reason(session: Session, make_expert: MakeExpert) -> None:
    applicant = new_uscc()
    e = make_expert(employer_uscc=applicant)
    reasons = experts_service.conflicts(session, actor=SYSTEM, expert_id=e.id, applicant_uscc=applicant)
    assert [r.label_zh for r in reasons] == ["专家现任职于申报单位"]


def test_declare_before_scoring_and_rubric_range(
    session: Session, make_expert: MakeExpert, reviewer: tuple[Actor, Expert]
) -> None:
    """No score before the declaration; a score out of range is refused with a stable code."""
    actor, me = reviewer
    experts_service.assign(
        session, actor=SYSTEM, context=CTX, items=[AssignItem("B1", "ai", new_uscc())], per_item=1, seed=3
    )
    good = ScoreIn(scores={"innovation": 20, "feasibility": 20, "benefit": 20, "team": 10})
    with pytest.raises(PermissionDenied) as denied:
        experts_service.score(session, actor=actor, context=CTX, ref="B1", data=good)
    assert denied.value.code_text == "experts.declaration_required"
    experts_service.declare(session, actor=actor, context=CTX, ref="B1", data=DeclareIn(has_conflict=False))
    assert experts_service.declared(session, actor=actor, context=CTX, ref="B1")
    bad = ScoreIn(scores={"innovation": 99, "feasibility": 20, "benefit": 20, "team": 10})
    with pytest.raises(ValidationFailed) as refused:
        experts_service.score(session, actor=actor, context=CTX, ref="B1", data=bad)
    assert refused.value.code_text == "experts.score_out_of_range"
    assert experts_service.score(session, actor=actor, context=CTX, ref="B1", data=good).total == 70
    views = experts_service.scores_for(session, actor=SYSTEM, context=CTX, ref="B1")
    assert [(v.reviewer, v.total) for v in views] == [("专家1", 70)]


def test_declared_conflict_recuses_and_substitute_replaces(
    session: Session, make_expert: MakeExpert, reviewer: tuple[Actor, Expert]
) -> None:
    actor, me = reviewer
    experts_service.assign(
        session, actor=SYSTEM, context=CTX, items=[AssignItem("C1", "ai", new_uscc())], per_item=1, seed=3
    )
    spare = make_expert()  # joins the pool after the draw: the only one free to substitute
    experts_service.declare(session, actor=actor, context=CTX, ref="C1", data=DeclareIn(has_conflict=True))
    new = experts_service.substitute(session, actor=SYSTEM, context=CTX, ref="C1", expert_id=me.id, seed=5)
    assert new.expert_id == spare.id
    states = {
        a.expert_id: a.state
        for a in experts_service.assignments_for(session, actor=SYSTEM, context=CTX, ref="C1")
    }
    assert states == {me.id: "recused", spare.id: "assigned"}


def test_registry_people_exclude_the_legal_rep_and_related_employers(
    session: Session, make_expert: MakeExpert
) -> None:
    """An expert who is the applicant's legal representative (matched by ID), and an expert whose
    employer shares the applicant's legal representative, are both excluded, with reasons."""
    applicant, sister = make_org(session), make_org(session)
    boss_id = ids.make_number("320402", date(1970, 5, 6), 13)
    rep = OrgPersonIn(role="legal_rep", name="周大同", id_number=boss_id)
    registry_service.set_people(session, actor=SYSTEM, uscc=applicant.uscc, people=[rep])
    registry_service.set_people(session, actor=SYSTEM, uscc=sister.uscc, people=[rep])
    boss = make_expert(name="周大同", resident_id=boss_id)
    colleague = make_expert(employer_uscc=sister.uscc)
    free = [make_expert() for _ in range(2)]
    reasons = experts_service.conflicts(
        session, actor=SYSTEM, expert_id=boss.id, applicant_uscc=applicant.uscc
    )
    assert [r.code for r in reasons] == ["role_legal_rep"]
    assert boss.id_masked.endswith(boss_id[-4:])
    assert boss_id not in (boss.id_token or "")
    related = experts_service.conflicts(
        session, actor=SYSTEM, expert_id=colleague.id, applicant_uscc=applicant.uscc
    )
    assert related[0].code == "related_employer"
    assert "法定代表人相同" in related[0].label_zh
    result = experts_service.assign(
        session, actor=SYSTEM, context=CTX, items=[AssignItem("D1", "ai", applicant.uscc)], per_item=2, seed=4
    )
    assert {a.expert_id for a in result.assigned} == {e.id for e in free}
