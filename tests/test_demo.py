"""The demo database holds together: what a leader is shown could be real.

Built once per backend the way ``longcheng demo --no-serve`` builds it, then checked for the
demo's own invariants: stage dates and plan nodes in plan order, investment only after the start,
investors big enough and in the trade of their projects, lists only for signed projects big
enough, totals on the scale of a city, and news totals of many projects never taken for one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import changelog
from longcheng.core.actors import SYSTEM
from longcheng.core.audit import AuditRecord
from longcheng.core.db import make_engine, make_sessionmaker
from longcheng.intel.models import Fact
from longcheng.intel.service.dashboard import investment_summary
from longcheng.projects.demo import REVENUE_MULTIPLE, products_for
from longcheng.projects.evidence.models import ProjectEvidence
from longcheng.projects.models import InvestmentMonth, PlanNode, Project, ProjectInvestor, ProjectListEntry
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage
from longcheng.registry.models import Organisation, OrgFact

YI = 10**10  # 1亿元 in fen
ORGS = 600


@pytest.fixture
def demo(cli_db: str) -> Iterator[Session]:
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--orgs", str(ORGS)])
    assert result.exit_code == 0, result.output
    engine = make_engine(cli_db)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def _stage_dates_in_order(session: Session) -> list[str]:
    problems = []
    for p in session.scalars(select(Project)):
        dates = [getattr(p, f"{s.value}_on") for s in STAGE_ORDER[: p.stage_enum.rank + 1]]
        known = [d for d in dates if d is not None]
        later = [s for s in STAGE_ORDER[p.stage_enum.rank + 1 :] if getattr(p, f"{s.value}_on")]
        if known != sorted(known) or later:
            problems.append(p.code)
    return problems


def _nodes_in_plan_order(session: Session) -> list[str]:
    """A done node's predecessor is done no later; every reached stage's node is done, no other."""
    nodes: dict[int, dict[str, PlanNode]] = defaultdict(dict)
    for node in session.scalars(select(PlanNode)):
        nodes[node.project_id][node.code] = node
    problems = []
    for p in session.scalars(select(Project)):
        for node in nodes[p.id].values():
            pred = nodes[p.id].get(node.after or "")
            if node.done_on and pred and (pred.done_on is None or pred.done_on > node.done_on):
                problems.append(f"{p.code} {node.name}先于{pred.name}")
            if node.stage and (node.done_on is not None) != (Stage(node.stage).rank <= p.stage_enum.rank):
                problems.append(f"{p.code} {node.name}与阶段不符")
    return problems


def _investment_after_start(session: Session) -> list[str]:
    stmt = (
        select(Project.code, Project.started_on, InvestmentMonth.year, InvestmentMonth.month)
        .join(InvestmentMonth, InvestmentMonth.project_id == Project.id)
        .where(InvestmentMonth.completed_fen > 0)
    )
    return [
        code
        for code, started, year, month in session.execute(stmt)
        if started is None or (year, month) < (started.year, started.month)
    ]


def _investors_fit(session: Session) -> list[str]:
    revenue = dict(
        session.execute(
            select(Organisation.uscc, func.max(OrgFact.value))
            .join(OrgFact, OrgFact.org_id == Organisation.id)
            .where(OrgFact.kind == "revenue")
            .group_by(Organisation.uscc)
        ).all()
    )
    problems = []
    for p in session.scalars(select(Project).where(Project.source == "demo")):
        investors = session.execute(
            select(ProjectInvestor.uscc, ProjectInvestor.name).where(ProjectInvestor.project_id == p.id)
        ).all()
        capacity = sum(revenue.get(uscc or "", 0) for uscc, _ in investors) * REVENUE_MULTIPLE
        trades = {industry for _, name in investors for _, industry in products_for(name)}
        if capacity < p.agreed_investment_fen or p.industry not in trades:
            problems.append(f"{p.code} {p.name} {p.investor_names}")
    return problems


def _lists_fit(session: Session) -> list[str]:
    stmt = select(Project.code, Project.stage, Project.total_investment_fen, ProjectListEntry.list_name).join(
        ProjectListEntry, ProjectListEntry.project_id == Project.id
    )
    return [
        f"{code} {name}"
        for code, stage, total, name in session.execute(stmt)
        if Stage(stage).rank < Stage.signed.rank or (name == "省重大" and total < 20 * YI)
    ]


def test_the_demo_database_keeps_its_own_invariants(demo: Session) -> None:
    """Every project's dates, nodes, money, investors and lists are coherent; the news totals are
    on a city's scale and no total of many projects is evidence or a lead."""
    session = demo
    assert _stage_dates_in_order(session) == []
    assert _nodes_in_plan_order(session) == []
    assert _investment_after_start(session) == []
    assert _investors_fit(session) == []
    assert _lists_fit(session) == []
    projects = list(session.scalars(select(Project)))
    assert [p.code for p in projects if p.warning_list] == []
    total = sum(p.total_investment_fen for p in projects)
    assert len(projects) >= 300
    assert 500 * YI <= total <= 6000 * YI
    summary = investment_summary(session, actor=SYSTEM)
    for year in summary.years:
        yearly = investment_summary(session, actor=SYSTEM, year=year).investment_fen
        assert 50 * YI <= yearly <= 4000 * YI, (year, yearly / YI)
    refs = list(session.scalars(select(ProjectEvidence.source_ref)))
    assert len(refs) == len(set(refs))
    fact_ids = [int(r.rsplit(":", 1)[1]) for r in refs if r.startswith("intel:fact:")]
    assert fact_ids
    aggregates = select(func.count(Fact.id)).where(Fact.id.in_(fact_ids), Fact.aggregate.is_(True))
    assert session.scalar(aggregates) == 0
    assert _change_logs_in_words(session) == []


def _change_logs_in_words(session: Session) -> list[str]:
    """Every change log of the demo reads in Chinese: a named action, labelled fields, no codes."""
    problems = []
    for record in session.scalars(select(AuditRecord)):
        view = changelog.describe(record)
        if view.action == "其他操作":
            problems.append(f"action {record.action}")
        problems += [f"field of {record.action}" for line in view.lines if line.label == "其他信息"]
    return sorted(set(problems))
