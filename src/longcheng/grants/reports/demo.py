"""Demo outcome facts: funded firms report the award year's figures (营业收入, 研发投入, 纳税额,
从业人数) where the registry's demo stops at the year before, so the programme report has a
before and an after; the figures grow from the firm's own year-before facts."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.grants.applications.models import Application
from longcheng.grants.reports.service.outcomes import INDICATORS
from longcheng.registry import service as registry
from longcheng.registry.schemas import FactCreate

SOURCE = "企业年报（资助后，演示数据，虚构）"


def seed(session: Session, *, actor: Actor, year: int, rng: random.Random) -> int:
    """Facts of ``year`` for the firms decided that year (when the registry has none); returns the count."""
    if year > local_today().year:
        return 0
    stmt = select(Application.applicant_uscc).where(
        Application.stage == "decided", Application.fiscal_year == year
    )
    usccs = sorted(set(session.scalars(stmt)))
    kinds = [spec[0] for spec in INDICATORS.values()]
    facts = registry.facts_table(session, actor=actor, kinds=kinds, years=[year - 1, year], usccs=usccs)
    added = 0
    for uscc in usccs:
        for kind in kinds:
            before = facts.get((uscc, kind, year - 1))
            if before is None or (uscc, kind, year) in facts:
                continue
            value = int(before * rng.uniform(0.95, 1.35))
            data = FactCreate(kind=kind, year=year, value=value, source=SOURCE)
            registry.add_fact(session, actor=actor, uscc=uscc, data=data)
            added += 1
    return added
