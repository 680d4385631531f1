"""Expert review for any module: draw experts, exclude conflicts, declarations, scores, aggregates.

Callers name what is reviewed with a ``context`` (e.g. ``grants:window:12``) and a ``ref`` (e.g.
an application number). Experts who are away, or conflicted with the applicant, are never
drawn; an expert sees a file only after signing a declaration of no conflict (``declared``).
"""

from __future__ import annotations

import json

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.experts import permissions as perm
from longcheng.experts.engine import assign as engine
from longcheng.experts.engine import rubric
from longcheng.experts.models import Assignment, Declaration, Expert, ExpertDraw, Score
from longcheng.experts.schemas import (
    AggregateView,
    AssignedExpert,
    AssignItem,
    DeclareIn,
    DrawResult,
    ScoreIn,
    ScoreView,
)
from longcheng.experts.service.conflicts import index_of as _index
from longcheng.experts.service.pool import get

ENTITY = "expert_review"


def _check_items(session: Session, context: str, items: list[AssignItem]) -> None:
    refs = [i.ref for i in items]
    if len(set(refs)) != len(refs):
        raise ValidationFailed("待评审事项编号重复。", code="experts.duplicate_item")
    taken: set[str] = set()
    for start in range(0, len(refs), 500):
        chunk = refs[start : start + 500]
        stmt = select(Assignment.ref).where(Assignment.context == context, Assignment.ref.in_(chunk))
        taken.update(session.scalars(stmt))
    if taken:
        first = sorted(taken)[0]
        raise Conflict(
            f"事项“{first}”等 {len(taken)} 项已分配过专家，请使用替换功能。", code="experts.already_assigned"
        )


def assign(
    session: Session, *, actor: Actor, context: str, items: list[AssignItem], per_item: int, seed: int
) -> DrawResult:
    """Draw ``per_item`` experts per item, stratified by field, conflicts excluded; recorded."""
    require(actor, perm.ASSIGN)
    if not 1 <= per_item <= 15:
        raise ValidationFailed("每项专家数须在 1–15 之间。", code="experts.bad_per_item")
    _check_items(session, context, items)
    experts = list(session.scalars(select(Expert).where(Expert.status == "active")))
    index = _index(session, actor, experts, [i.applicant_uscc for i in items])
    pool = [engine.Candidate(e.id, frozenset(e.fields)) for e in experts]
    eng_items = [engine.Item(i.ref, i.field, index.excluded(i.applicant_uscc)) for i in items]
    result = engine.draw(eng_items, pool, per_item=per_item, seed=seed)
    draw = ExpertDraw(
        context=context,
        seed=seed,
        per_item=per_item,
        items=len(items),
        short=sum(result.short.values()),
        actor=actor.label,
    )
    session.add(draw)
    session.flush()
    by_ref = {i.ref: i for i in items}
    rows = [
        {
            "draw_id": draw.id,
            "context": context,
            "ref": p.ref,
            "field": by_ref[p.ref].field,
            "applicant_uscc": by_ref[p.ref].applicant_uscc,
            "expert_id": p.expert_id,
            "in_field": p.in_field,
            "state": "assigned",
        }
        for p in result.picks
    ]
    for start in range(0, len(rows), 2000):
        session.execute(insert(Assignment), rows[start : start + 2000])
    names = {e.id: e for e in experts}
    audit.record(
        session,
        actor=actor,
        action="experts.assign",
        entity_type=ENTITY,
        entity_id=context,
        after={
            "抽取编号": draw.id,
            "随机种子": seed,
            "事项数": len(items),
            "每项专家数": per_item,
            "专家不足的事项": len(result.short),
        },
    )
    return DrawResult(
        draw_id=draw.id,
        seed=seed,
        assigned=[
            AssignedExpert(
                p.ref, p.expert_id, names[p.expert_id].code, names[p.expert_id].name, p.in_field, "assigned"
            )
            for p in result.picks
        ],
        short=dict(result.short),
        excluded={i.ref: len(i.excluded) for i in eng_items if i.excluded},
    )


def assignments_for(session: Session, *, actor: Actor, context: str, ref: str) -> list[AssignedExpert]:
    require(actor, perm.SCORES_READ)
    stmt = (
        select(Assignment, Expert)
        .join(Expert, Expert.id == Assignment.expert_id)
        .where(Assignment.context == context, Assignment.ref == ref)
        .order_by(Assignment.id)
    )
    return [
        AssignedExpert(a.ref, e.id, e.code, e.name, a.in_field, a.state) for a, e in session.execute(stmt)
    ]


def _me(session: Session, actor: Actor) -> Expert:
    require(actor, perm.REVIEW)
    expert = session.scalar(select(Expert).where(Expert.user_id == actor.id))
    if expert is None:
        raise PermissionDenied("您的账号未关联专家库中的专家。", code="experts.not_an_expert")
    return expert


def _assignment(session: Session, expert: Expert, context: str, ref: str) -> Assignment:
    a = session.scalar(
        select(Assignment).where(
            Assignment.context == context, Assignment.ref == ref, Assignment.expert_id == expert.id
        )
    )
    if a is None:
        raise NotFound("未找到分配给您的该评审事项。", code="experts.not_assigned")
    return a


def my_assignments(session: Session, *, actor: Actor, context: str | None = None) -> list[dict[str, object]]:
    """The reviewer's own items: context, ref, state, whether declared and scored (none when the
    account is not linked to an expert)."""
    require(actor, perm.REVIEW)
    expert = session.scalar(select(Expert).where(Expert.user_id == actor.id))
    if expert is None:
        return []
    stmt = select(Assignment).where(Assignment.expert_id == expert.id).order_by(Assignment.id.desc())
    if context:
        stmt = stmt.where(Assignment.context == context)
    rows = list(session.scalars(stmt.limit(500)))
    declared_keys = {
        (d.context, d.ref): d.has_conflict
        for d in session.scalars(select(Declaration).where(Declaration.expert_id == expert.id))
    }
    scored = {
        tuple(r)
        for r in session.execute(select(Score.context, Score.ref).where(Score.expert_id == expert.id))
    }
    return [
        {
            "context": a.context,
            "ref": a.ref,
            "field": a.field,
            "state": a.state,
            "declared": (a.context, a.ref) in declared_keys,
            "scored": (a.context, a.ref) in scored,
        }
        for a in rows
    ]


def declare(session: Session, *, actor: Actor, context: str, ref: str, data: DeclareIn) -> Declaration:
    """The expert signs a COI declaration for the item; a declared conflict recuses the expert."""
    expert = _me(session, actor)
    assignment = _assignment(session, expert, context, ref)
    if assignment.state != "assigned":
        raise Conflict("该评审事项已不由您评审。", code="experts.not_active")
    if session.scalar(
        select(Declaration.id).where(
            Declaration.context == context, Declaration.ref == ref, Declaration.expert_id == expert.id
        )
    ):
        raise Conflict("您已签署过该事项的利益冲突声明。", code="experts.already_declared")
    decl = Declaration(
        context=context,
        ref=ref,
        expert_id=expert.id,
        has_conflict=data.has_conflict,
        statement=data.statement,
    )
    session.add(decl)
    if data.has_conflict:
        assignment.state = "recused"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="experts.declare",
        entity_type=ENTITY,
        entity_id=f"{context}/{ref}",
        after={
            "专家": expert.code,
            "存在利益冲突": "是" if data.has_conflict else "否",
            "声明": data.statement,
        },
    )
    return decl


def declared(session: Session, *, actor: Actor, context: str, ref: str) -> bool:
    """True when the reviewer is assigned and signed a declaration of no conflict for the item."""
    expert = _me(session, actor)
    d = session.scalar(
        select(Declaration).where(
            Declaration.context == context, Declaration.ref == ref, Declaration.expert_id == expert.id
        )
    )
    return d is not None and not d.has_conflict


def score(session: Session, *, actor: Actor, context: str, ref: str, data: ScoreIn) -> Score:
    """Record (or revise) the reviewer's scores; refused outside the rubric's ranges."""
    expert = _me(session, actor)
    assignment = _assignment(session, expert, context, ref)
    if assignment.state != "assigned" or not declared(session, actor=actor, context=context, ref=ref):
        raise PermissionDenied("请先签署无利益冲突声明后再评分。", code="experts.declaration_required")
    rub = rubric.rubrics().get(data.rubric)
    if rub is None:
        raise ValidationFailed(f"未知的评分细则“{data.rubric}”。", code="experts.unknown_rubric")
    problems = rubric.check(rub, data.scores)
    if problems:
        raise ValidationFailed(
            "评分有误：" + "；".join(p.message for p in problems),
            code="experts.score_out_of_range",
            details={f"scores.{p.criterion}": p.message for p in problems},
        )
    total = rubric.total(rub, data.scores)
    row = session.scalar(
        select(Score).where(Score.context == context, Score.ref == ref, Score.expert_id == expert.id)
    )
    before = {"总分": row.total} if row else None
    if row is None:
        row = Score(context=context, ref=ref, expert_id=expert.id)
        session.add(row)
    row.rubric, row.scores, row.total, row.comment = (
        rub.code,
        json.dumps(data.scores, sort_keys=True),
        total,
        data.comment,
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="experts.score",
        entity_type=ENTITY,
        entity_id=f"{context}/{ref}",
        before=before,
        after={"专家": expert.code, "评分细则": rub.label, "总分": total},
    )
    return row


def scores_for(
    session: Session, *, actor: Actor, context: str, ref: str, named: bool = False
) -> list[ScoreView]:
    """Every expert's scores on the item, anonymised as 专家1, 专家2… unless ``named``."""
    require(actor, perm.SCORES_READ)
    stmt = (
        select(Score, Expert)
        .join(Expert, Expert.id == Score.expert_id)
        .where(Score.context == context, Score.ref == ref)
        .order_by(Score.id)
    )
    return [
        ScoreView(e.name if named else f"专家{n}", e.id, s.rubric, json.loads(s.scores), s.total, s.comment)
        for n, (s, e) in enumerate(session.execute(stmt), start=1)
    ]


def aggregate(session: Session, *, actor: Actor, context: str, ref: str) -> AggregateView:
    """The mean total, the highest and lowest dropped when five or more experts scored."""
    totals = [s.total for s in scores_for(session, actor=actor, context=context, ref=ref)]
    agg = rubric.aggregate(totals)
    return AggregateView(agg.count, list(agg.totals), list(agg.kept), list(agg.dropped), agg.mean)


def substitute(
    session: Session, *, actor: Actor, context: str, ref: str, expert_id: int, seed: int
) -> AssignedExpert:
    """Replace an assigned expert (away, recused): the named substitute if free, else a fresh draw."""
    require(actor, perm.ASSIGN)
    current = list(
        session.scalars(select(Assignment).where(Assignment.context == context, Assignment.ref == ref))
    )
    old = next((a for a in current if a.expert_id == expert_id), None)
    if old is None:
        raise NotFound("该专家未分配到此事项。", code="experts.not_assigned")
    experts = list(session.scalars(select(Expert).where(Expert.status == "active")))
    busy = {a.expert_id for a in current}
    index = _index(session, actor, experts, [old.applicant_uscc])
    excluded = index.excluded(old.applicant_uscc) | busy
    named = get(session, actor=actor, expert_id=expert_id).substitute_id
    pool = [engine.Candidate(e.id, frozenset(e.fields)) for e in experts if named is None or e.id == named]
    result = engine.draw([engine.Item(ref, old.field, frozenset(excluded))], pool, per_item=1, seed=seed)
    if not result.picks and named is not None:
        pool = [engine.Candidate(e.id, frozenset(e.fields)) for e in experts]
        result = engine.draw([engine.Item(ref, old.field, frozenset(excluded))], pool, per_item=1, seed=seed)
    if not result.picks:
        raise Conflict("专家库中没有可替换的专家（均已分配或存在利益冲突）。", code="experts.no_substitute")
    pick = result.picks[0]
    if old.state == "assigned":
        old.state = "replaced"
    new = Assignment(
        draw_id=old.draw_id,
        context=context,
        ref=ref,
        field=old.field,
        applicant_uscc=old.applicant_uscc,
        expert_id=pick.expert_id,
        in_field=pick.in_field,
        state="assigned",
    )
    session.add(new)
    session.flush()
    chosen = get(session, actor=actor, expert_id=pick.expert_id)
    audit.record(
        session,
        actor=actor,
        action="experts.substitute",
        entity_type=ENTITY,
        entity_id=f"{context}/{ref}",
        before={"专家": get(session, actor=actor, expert_id=expert_id).code},
        after={"专家": chosen.code, "随机种子": seed},
    )
    return AssignedExpert(ref, chosen.id, chosen.code, chosen.name, pick.in_field, "assigned")
