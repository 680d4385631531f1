"""Demo data for the policy module, on top of the registry's fictional firms (``longcheng demo``).

What it seeds, so that every policy page has something to show:

* policy-owned inputs for a few percent of firms (national/provincial grants, some for the same
  project; 高企培育 and lower-level 专精特新 rewards already received);
* the showcase firm (the demo ``firm`` user's own): a 科技型中小企业 tag for the year and an
  audited R&D figure whose growth is exactly 1,500,000 yuan (reward 130,000.00 literal reading),
  plus a 300,000-yuan provincial grant (matching 300,000.00);
* run 1 of the registry-backed batch; then corrections of the R&D figures of some firms (the
  showcase firm's growth becomes 2,000,000 yuan → 180,000.00) and run 2, so that the 精准推送
  list has new, dropped and changed firms and inboxes have messages;
* a handful of 免申即享 confirmations.

Everything goes through the public service functions (audited, in the caller's transaction).
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.policy.awards import service as award_service
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.inputs.service.sources import importable_variables
from longcheng.policy.models import Result
from longcheng.policy.runs.service import run_registry_batch
from longcheng.policy.schemas import AwardDecision, AwardFilter
from longcheng.policy.service import default_year, get_pack
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import FactCreate, TagCreate

AUDIT_SOURCE = "研发费用专项审计（演示）"
CORRECTION_SOURCE = "研发费用加计扣除更正申报（演示）"


def _inputs(rng: random.Random, usccs: list[str], year: int) -> list[input_records.ParsedInput]:
    known = {spec.name for spec in importable_variables(get_pack())}
    rows = []
    for line, uscc in enumerate(usccs, start=2):
        roll = rng.random()
        values: dict[str, int] = {}
        if roll < 0.03:
            values["national_grant"] = rng.randrange(20, 400) * 1_000_000  # 20万–400万元
        if 0.02 < roll < 0.06:
            values["provincial_grant"] = rng.randrange(10, 200) * 1_000_000
        if len(values) == 2:
            values["grants_same_project"] = int(rng.random() < 0.4)
        if rng.random() < 0.01:
            values["cultivation_reward_received"] = 5_000_000  # 5万元
        if rng.random() < 0.01:
            values["srdi_prior_reward"] = 10_000_000  # 10万元
        values = {k: v for k, v in values.items() if k in known}
        if values:
            rows.append(input_records.ParsedInput(line, uscc, year, values, "演示数据（虚构）"))
    return rows


def _rd(session: Session, actor: Actor, usccs: list[str], year: int) -> dict[tuple[str, str, int], int]:
    return registry_service.facts_table(
        session, actor=actor, kinds=("rd_spending",), years=(year - 1, year), usccs=usccs
    )


def _set_rd(session: Session, actor: Actor, uscc: str, year: int, value: int, source: str) -> None:
    data = FactCreate(kind="rd_spending", year=year, value=value, source=source)
    registry_service.add_fact(session, actor=actor, uscc=uscc, data=data)


def _showcase(session: Session, actor: Actor, uscc: str, year: int) -> None:
    """The demo firm: eligible type, R&D growth of exactly 1,500,000 yuan, a provincial grant."""
    tag = TagCreate(
        tag="tech_sme",
        level="national",
        valid_from=date(year, 3, 1),
        valid_to=date(year + 1, 2, 28),
        source="科技型中小企业评价入库（演示）",
    )
    registry_service.add_tag(session, actor=actor, uscc=uscc, data=tag)
    last = _rd(session, actor, [uscc], year).get((uscc, "rd_spending", year - 1), 500_000_000)
    _set_rd(session, actor, uscc, year - 1, last, AUDIT_SOURCE)
    _set_rd(session, actor, uscc, year, last + 150_000_000, AUDIT_SOURCE)
    row = input_records.ParsedInput(
        2, uscc, year, {"provincial_grant": 30_000_000}, "省科技厅项目拨付（演示）"
    )
    input_records.write_inputs(session, actor=actor, rows=[row])


def _corrections(
    session: Session,
    actor: Actor,
    rng: random.Random,
    usccs: list[str],
    run_id: int,
    year: int,
    skip: str | None,
) -> int:
    """Between the two runs, a tenth of the R&D-reward firms and 2 % of all firms file
    corrected R&D figures (some rise, some fall below the threshold)."""
    rewarded = session.scalars(
        select(Result.uscc).where(Result.run_id == run_id, Result.clause_id == "innovation.rd_growth_reward")
    ).all()
    chosen = sorted({u for u in rewarded if rng.random() < 0.1} | {u for u in usccs if rng.random() < 0.02})
    chosen = [u for u in chosen if u != skip]
    facts = _rd(session, actor, chosen, year)
    for uscc in chosen:
        current = facts.get((uscc, "rd_spending", year))
        if current is not None:
            factor = rng.choice([0.6, 0.8, 1.2, 1.5])
            _set_rd(session, actor, uscc, year, int(current * factor), CORRECTION_SOURCE)
    return len(chosen)


def seed(
    session: Session, *, actor: Actor, showcase_uscc: str | None = None, seed: int = 2026
) -> dict[str, Any]:
    """Seed inputs, two runs and a few confirmations; returns what was done, for the CLI."""
    rng = random.Random(seed)
    year = default_year(get_pack())
    usccs = [u for u, _, _ in registry_service.org_rows(session, actor=actor, org_types=("enterprise",))]
    input_records.write_inputs(session, actor=actor, rows=_inputs(rng, usccs, year))
    if showcase_uscc in usccs:
        assert showcase_uscc is not None
        _showcase(session, actor, showcase_uscc, year)
    first, _ = run_registry_batch(session, actor=actor, year=year)
    corrected = _corrections(session, actor, rng, usccs, first.id, year, showcase_uscc)
    if showcase_uscc in usccs:
        assert showcase_uscc is not None
        base = _rd(session, actor, [showcase_uscc], year)[(showcase_uscc, "rd_spending", year - 1)]
        _set_rd(session, actor, showcase_uscc, year, base + 200_000_000, CORRECTION_SOURCE)
    second, _ = run_registry_batch(session, actor=actor, year=year)
    confirmed = _confirm_some(session, actor, year)
    return {"year": year, "runs": [first.id, second.id], "corrected": corrected, "confirmed": confirmed}


def _confirm_some(session: Session, actor: Actor, year: int) -> int:
    clause = "innovation.high_tech_first_cert"
    pending = award_service.pending_usccs(
        session, actor=actor, filters=AwardFilter(clause=clause, year=str(year))
    )
    if not pending:
        return 0
    data = AwardDecision(clause=clause, year=year, usccs=pending[:5], note="演示：已核对高新技术企业认定名单")
    return award_service.decide(session, actor=actor, data=data)
