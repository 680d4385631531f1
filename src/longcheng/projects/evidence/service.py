"""Evidence from the news: proposals on project pages, and possible new leads.

The intel module (or anything that reads the news) calls :func:`propose_evidence` with plain
:class:`EvidenceCandidate` objects; it never touches this module's tables. Each candidate is
matched (:mod:`.matching`) against every project; matches are stored as *proposed* evidence for
an officer to accept or reject on the project page; an unmatched signing or start becomes a
*possible new lead*, which an officer turns into a project (stage 线索) or dismisses. A fact is
stored once, on the one project it fits best, whenever and however often it is offered; a total
of many projects (``aggregate``: 新签约项目34个…) is never a project's evidence nor a lead. Every
proposal and decision is audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from longcheng.core import audit, hooks
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied
from longcheng.core.paging import Page, paginate
from longcheng.intel import service as intel_service
from longcheng.projects import permissions as perm
from longcheng.projects import service as project_service
from longcheng.projects.evidence.matching import (
    LEAD_EVENTS,
    EvidenceCandidate,
    MatchIndex,
    ProjectProfile,
    names_of,
)
from longcheng.projects.evidence.models import ProjectEvidence
from longcheng.projects.models import Project, ProjectInvestor
from longcheng.projects.schemas import ProjectCreate
from longcheng.projects.service.base import ENTITY, get, is_visible
from longcheng.registry import reference as ref

__all__ = [
    "EvidenceCandidate",
    "EvidenceOutcome",
    "convert_lead",
    "decide_evidence",
    "dismiss_lead",
    "evidence_of",
    "list_leads",
    "on_facts_stored",
    "propose_evidence",
    "pull_from_intel",
]


@dataclass
class EvidenceOutcome:
    """What :func:`propose_evidence` stored: proposals, leads, and what it left out."""

    proposed: list[ProjectEvidence] = field(default_factory=list)
    leads: list[ProjectEvidence] = field(default_factory=list)
    duplicates: int = 0
    unmatched: int = 0


def _profiles(session: Session) -> list[ProjectProfile]:
    investors: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    for pid, uscc, name in session.execute(
        select(ProjectInvestor.project_id, ProjectInvestor.uscc, ProjectInvestor.name)
    ):
        investors[pid].append((uscc, name))
    stmt = select(
        Project.id,
        Project.name,
        Project.district,
        Project.park,
        Project.total_investment_fen,
        Project.agreed_investment_fen,
    )
    return [
        ProjectProfile(
            pid,
            name,
            tuple(n for _, n in investors[pid]),
            tuple(u for u, _ in investors[pid] if u),
            district,
            park,
            total,
            agreed,
        )
        for pid, name, district, park, total, agreed in session.execute(stmt)
    ]


def _district_of(c: EvidenceCandidate) -> str | None:
    if c.district:
        return c.district
    place = ref.places().get(c.place_code or "")
    return place.district if place else None


def _row(
    c: EvidenceCandidate,
    project_id: int | None,
    score: int,
    reasons: Sequence[str],
    status: str,
    district: str | None,
) -> ProjectEvidence:
    return ProjectEvidence(
        project_id=project_id,
        source_kind=c.source_kind,
        source_ref=c.source_ref[:80],
        reported_on=c.reported_on,
        event=c.event,
        cue=c.cue[:200],
        sentence=c.sentence,
        link=c.link[:300],
        amount_fen=c.amount_fen,
        currency=c.currency,
        org_names=names_of(c.org_names),
        project_name=(c.project_name or "")[:200],
        place_code=c.place_code,
        district=district,
        score=score,
        match_reasons="\n".join(reasons),
        status=status,
    )


def _stored_refs(session: Session, candidates: list[EvidenceCandidate]) -> set[tuple[str, str]]:
    """The facts among ``candidates`` already stored, as a proposal or a lead, whatever became of them."""
    refs = sorted({c.source_ref[:80] for c in candidates})
    seen: set[tuple[str, str]] = set()
    for start in range(0, len(refs), 500):
        stmt = select(ProjectEvidence.source_kind, ProjectEvidence.source_ref).where(
            ProjectEvidence.source_ref.in_(refs[start : start + 500])
        )
        seen.update((kind, ref) for kind, ref in session.execute(stmt))
    return seen


def propose_evidence(
    session: Session, *, actor: Actor, candidates: list[EvidenceCandidate]
) -> EvidenceOutcome:
    """Match news facts to projects and store them as proposals (or as possible new leads).

    One fact is stored once: on the project it fits best, or as a lead when it fits none. A fact
    offered again is left alone even when the projects have changed since (a new project, a
    converted or dismissed lead). A total of many projects (``aggregate``) is never one project's
    evidence nor a lead, and a lead must name an investor or a project.
    """
    require(actor, perm.EVIDENCE_PROPOSE)
    candidates = [c if c.district else _with_district(c) for c in candidates]
    index = MatchIndex(_profiles(session))
    seen = _stored_refs(session, candidates)
    outcome = EvidenceOutcome()
    for c in candidates:
        key = (c.source_kind, c.source_ref[:80])
        if key in seen:
            outcome.duplicates += 1
            continue
        matches = [] if c.aggregate else index.best(c, limit=1)
        if not matches and (c.aggregate or c.event not in LEAD_EVENTS or not c.names_a_subject):
            outcome.unmatched += 1
            continue
        seen.add(key)
        pid, score, reasons = (
            (matches[0].project_id, matches[0].score, matches[0].reasons) if matches else (None, 0, ())
        )
        row = _row(c, pid, score, reasons, "proposed" if pid else "lead", c.district)
        session.add(row)
        (outcome.proposed if pid else outcome.leads).append(row)
    session.flush()
    _audit_proposals(session, actor, outcome)
    return outcome


def pull_from_intel(
    session: Session,
    *,
    actor: Actor,
    fact_ids: Sequence[int] | None = None,
    since: datetime | None = None,
) -> EvidenceOutcome:
    """Ask the news module for facts (these ids, or those stored since a time, or all) and propose them.

    intel never calls this module: it announces new facts (``hooks.FACTS_STORED``) and this
    module reads them through intel's public service. Offering the same fact again stores nothing.
    """
    require(actor, perm.EVIDENCE_PROPOSE)
    items = intel_service.facts_for_projects(session, since=since, fact_ids=fact_ids)
    candidates = [_candidate(item) for item in items]
    if not candidates:
        return EvidenceOutcome()
    return propose_evidence(session, actor=actor, candidates=candidates)


def _candidate(item: dict[str, Any]) -> EvidenceCandidate:
    keys = (
        "source_ref", "sentence", "event", "reported_on", "cue", "org_names", "usccs",
        "project_name", "amount_fen", "currency", "place_code", "district", "link", "aggregate",
    )  # fmt: skip
    return EvidenceCandidate(**{k: item[k] for k in keys})


def summary_of(outcome: EvidenceOutcome) -> str:
    return (
        f"已移交重大项目模块：匹配到已有项目的佐证 {len(outcome.proposed)} 条，"
        f"可能的新招商线索 {len(outcome.leads)} 条，此前已移交 {outcome.duplicates} 条。"
    )


def on_facts_stored(session: Session, *, actor: Actor, **payload: Any) -> hooks.HookReply:
    """The subscriber to ``hooks.FACTS_STORED``: new news facts become proposals and leads."""
    outcome = pull_from_intel(session, actor=actor, fact_ids=list(payload["fact_ids"]))
    counts = {"project_evidence": len(outcome.proposed), "project_leads": len(outcome.leads)}
    return hooks.HookReply(module="projects", summary=summary_of(outcome), counts=counts)


def _with_district(c: EvidenceCandidate) -> EvidenceCandidate:
    return replace(c, district=_district_of(c))


def _audit_proposals(session: Session, actor: Actor, outcome: EvidenceOutcome) -> None:
    ids = {e.project_id for e in outcome.proposed}
    stmt = select(Project.id, Project.code).where(Project.id.in_(ids))
    codes: dict[int, str] = {}
    for pid, code in session.execute(stmt) if ids else ():
        codes[pid] = code
    changes = [
        audit.Change(
            "projects.evidence.propose",
            ENTITY,
            codes[e.project_id],
            None,
            {"evidence": e.id, "source": f"{e.source_kind}:{e.source_ref}", "cue": e.cue, "score": e.score},
        )
        for e in outcome.proposed
        if e.project_id is not None
    ]
    changes += [
        audit.Change(
            "projects.lead.propose",
            "projects",
            f"lead:{e.id}",
            None,
            {"source": f"{e.source_kind}:{e.source_ref}", "orgs": e.org_names, "cue": e.cue},
        )
        for e in outcome.leads
    ]
    audit.record_many(session, actor=actor, changes=changes)


def evidence_of(session: Session, project: Project) -> list[ProjectEvidence]:
    stmt = (
        select(ProjectEvidence)
        .where(ProjectEvidence.project_id == project.id)
        .order_by(ProjectEvidence.reported_on.desc(), ProjectEvidence.id.desc())
    )
    return list(session.scalars(stmt))


def _evidence(session: Session, evidence_id: int) -> ProjectEvidence:
    ev = session.get(ProjectEvidence, evidence_id)
    if ev is None:
        raise NotFound("未找到该条证据。", code="projects.evidence_not_found")
    return ev


def _may_decide(actor: Actor, project: Project) -> None:
    require(actor, perm.EVIDENCE_DECIDE)
    if not (perm.is_responsible(actor, project) or actor.district is None):
        raise PermissionDenied("只有项目责任人或市级工作人员可以采纳或驳回证据。", code=perm.NOT_RESPONSIBLE)


def decide_evidence(
    session: Session, *, actor: Actor, evidence_id: int, accept: bool, note: str = ""
) -> ProjectEvidence:
    """Accept or reject a proposal (once); audited under the project."""
    ev = _evidence(session, evidence_id)
    if ev.project_id is None:
        raise NotFound("该条信息是新线索，不是项目证据。", code="projects.evidence_not_found")
    code = session.scalar(select(Project.code).where(Project.id == ev.project_id))
    project = get(session, actor=actor, code=code or "")
    _may_decide(actor, project)
    if ev.status != "proposed":
        raise Conflict("该条证据已处理过。", code="projects.evidence_decided")
    ev.status, ev.decided_by, ev.decided_at = ("accepted" if accept else "rejected"), actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"projects.evidence.{'accept' if accept else 'reject'}",
        entity_type=ENTITY,
        entity_id=project.code,
        before={"evidence": ev.id, "status": "proposed"},
        after={"evidence": ev.id, "status": ev.status, "cue": ev.cue},
        reason=note,
    )
    return ev


def _lead_scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is Role.officer and actor.district is not None:
        return ProjectEvidence.district == actor.district
    return true()


def list_leads(
    session: Session, *, actor: Actor, page: int = 1, page_size: int = 20
) -> Page[ProjectEvidence]:
    """Possible new leads from the news not yet handled, newest first (district officers: their district)."""
    require(actor, perm.EVIDENCE_DECIDE)
    stmt = (
        select(ProjectEvidence)
        .where(ProjectEvidence.status == "lead", _lead_scope(actor))
        .order_by(ProjectEvidence.reported_on.desc(), ProjectEvidence.id.desc())
    )
    return paginate(session, stmt, page=page, page_size=page_size)


def _lead(session: Session, actor: Actor, evidence_id: int) -> ProjectEvidence:
    require(actor, perm.EVIDENCE_DECIDE)
    ev = _evidence(session, evidence_id)
    if ev.project_id is not None or ev.status != "lead":
        raise Conflict("该线索已处理过。", code="projects.lead_decided")
    if (
        actor.role is Role.officer
        and actor.district is not None
        and ev.district not in (None, actor.district)
    ):
        raise PermissionDenied("该线索不在您所在区。", code="projects.out_of_scope")
    return ev


def dismiss_lead(session: Session, *, actor: Actor, evidence_id: int, reason: str = "") -> ProjectEvidence:
    ev = _lead(session, actor, evidence_id)
    ev.status, ev.decided_by, ev.decided_at = "dismissed", actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.lead.dismiss",
        entity_type="projects",
        entity_id=f"lead:{ev.id}",
        after={"status": "dismissed"},
        reason=reason,
    )
    return ev


def convert_lead(session: Session, *, actor: Actor, evidence_id: int, name: str, district: str) -> Project:
    """Register a project at stage 线索 from a lead; the news fact becomes its first accepted evidence."""
    ev = _lead(session, actor, evidence_id)
    investors = [{"name": n} for n in ev.org_names.split("；") if n]
    data = ProjectCreate.model_validate(
        {
            "name": name,
            "district": district,
            "investors": investors,
            "lead_on": ev.reported_on,
            "summary": ev.sentence[:4000],
        }
    )
    project = project_service.create(session, actor=actor, data=data, source="news")
    ev.project_id, ev.status, ev.decided_by, ev.decided_at = project.id, "accepted", actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.lead.convert",
        entity_type=ENTITY,
        entity_id=project.code,
        after={"evidence": ev.id, "source": f"{ev.source_kind}:{ev.source_ref}", "cue": ev.cue},
    )
    return project


def visible_evidence(session: Session, actor: Actor, project: Project) -> list[ProjectEvidence]:
    return evidence_of(session, project) if is_visible(session, actor, project) else []
