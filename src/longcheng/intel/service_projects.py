"""The hand-off to the projects module (重大项目): news facts offered as project evidence or leads.

Signing, start, completion, production and investment facts (``service.facts_for_projects``)
become ``EvidenceCandidate`` objects for ``projects.service.propose_evidence``, which matches them
to projects (proposals an officer accepts on the project page) or keeps an unmatched signing or
start as a possible new lead. The projects module stores the same fact once, however often it
is offered. Called after each ingest (CLI and upload) and by ``longcheng intel projects``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.intel import permissions as perm
from longcheng.intel.service import facts_for_projects
from longcheng.projects import service as projects_service


def to_candidate(item: dict[str, Any]) -> projects_service.EvidenceCandidate:
    return projects_service.EvidenceCandidate(
        source_ref=item["source_ref"],
        sentence=item["sentence"],
        event=item["event"],
        reported_on=item["reported_on"],
        cue=item["cue"],
        org_names=item["org_names"],
        usccs=item["usccs"],
        project_name=item["project_name"],
        amount_fen=item["amount_fen"],
        currency=item["currency"],
        place_code=item["place_code"],
        district=item["district"],
        link=item["link"],
    )


def send_to_projects(
    session: Session, *, actor: Actor, fact_ids: Sequence[int] | None = None, since: datetime | None = None
) -> projects_service.EvidenceOutcome:
    """Offer facts (these ids, or those stored since a time, or all) to the projects module."""
    require(actor, perm.INGEST)
    items = facts_for_projects(session, since=since, fact_ids=fact_ids)
    candidates = [to_candidate(item) for item in items]
    if not candidates:
        return projects_service.EvidenceOutcome()
    return projects_service.propose_evidence(session, actor=actor, candidates=candidates)
