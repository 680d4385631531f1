"""Fictional investment projects for ``longcheng demo``: a few hundred across districts, stages and lists.

Every name and person is invented; investors are the registry's demo organisations. Projects are
created through the service (audited, plans laid out), then given a plausible history: most past
plan nodes done, monthly investment for this year, a ceremony, a few 督办单 and news evidence.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit, users
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.projects import service
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.evidence.matching import EvidenceCandidate
from longcheng.projects.models import InvestmentMonth, PlanNode, Project
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage
from longcheng.projects.schemas import CeremonyIn, OrderIn, ProjectCreate
from longcheng.projects.service.lights import calendar
from longcheng.projects.supervision import service as supervision_service
from longcheng.registry import demo as registry_demo
from longcheng.registry import reference as ref

PRODUCTS = [
    ("年产{n}GWh动力电池", "3841"),
    ("年产{n}万套新能源汽车电驱系统", "3670"),
    ("{n}GW高效光伏组件", "3825"),
    ("年产{n}万台工业机器人", "3491"),
    ("年产{n}万吨碳纤维复合材料", "3091"),
    ("{n}英寸功率半导体", "3976"),
    ("创新药研发及产业化基地", "2761"),
    ("智能储能系统集成", "3841"),
    ("精密轴承及传动部件", "3450"),
    ("氢燃料电池系统", "3841"),
    ("数字经济产业园", "6513"),
    ("高端医疗器械", "3585"),
]
SUFFIX = ["项目", "项目（一期）", "扩建项目", "产业化项目"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = ["建国", "志强", "海燕", "立新", "文静", "国庆", "晓明", "红梅", "振华", "卫东"]
TITLES = ["副市长", "市政府秘书长", "副区长", "区委常委", "管委会主任"]
STAGE_SHARE = [0.08, 0.10, 0.14, 0.10, 0.28, 0.12, 0.13, 0.05]
LISTS = [("省重大", 0.05), ("市重大", 0.25), ("区重大", 0.55), ("532", 0.12), ("1231", 0.04)]


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _dates(rng: random.Random, stage: Stage, today: date) -> dict[str, date]:
    end = today - timedelta(days=rng.randint(3, 200))
    dates: dict[str, date] = {}
    when = end
    for s in reversed(STAGE_ORDER[: stage.rank + 1]):
        dates[f"{s.value}_on"] = when
        when -= timedelta(days=rng.randint(20, 150))
    return dates


def _project(rng: random.Random, orgs: list[dict[str, Any]], today: date, n: int) -> dict[str, Any]:
    org = rng.choice(orgs)
    template, industry = rng.choice(PRODUCTS)
    stage = rng.choices(STAGE_ORDER, STAGE_SHARE)[0]
    zone = rng.choice(ref.zones())
    total_wan = int(rng.lognormvariate(11.2, 0.9)) // 100 * 100 + 1000
    lists = [name for name, share in LISTS if rng.random() < share]
    data: dict[str, Any] = {
        "name": template.format(n=rng.choice([2, 5, 10, 20, 30, 50])) + rng.choice(SUFFIX),
        "project_type": "service" if industry.startswith("65") else "industrial",
        "district": zone.district,
        "park": zone.code,
        "industry": industry,
        "lists": lists,
        "investors": [{"uscc": org["uscc"]}],
        "agreed_investment": str(total_wan),
        "total_investment": str(int(total_wan * rng.uniform(1.0, 1.2))),
        "land_mu": str(rng.randint(20, 600)),
        "expected_output": str(total_wan * rng.randint(1, 3)),
        "expected_tax": str(total_wan // rng.randint(15, 40)),
        "expected_jobs": rng.randint(50, 2000),
        "leader_name": f"{_person(rng)}（{rng.choice(TITLES)}）",
        "responsible_unit": f"{ref.places()[zone.district].name}商务局",
        "contacts": [{"name": f"{_person(rng)}（虚构）", "phone": f"0519-8{rng.randint(1000000, 9999999)}"}],
        "stage": stage.value,
        **_dates(rng, stage, today),
    }
    if n % 17 == 0:
        data.update(cooperation="north_south", partner_region="阜宁县")
    if n % 41 == 0:
        stated = total_wan // 7
        data.update(currency="USD", agreed_investment=str(stated), total_investment=str(stated))
    return data


def _done_nodes(session: Session, rng: random.Random, p: Project, today: date) -> dict[str, date]:
    nodes = session.scalars(select(PlanNode).where(PlanNode.project_id == p.id).order_by(PlanNode.seq)).all()
    reached = max((n.seq for n in nodes if n.stage and Stage(n.stage).rank <= p.stage_enum.rank), default=-1)
    done = {}
    for node in nodes:
        if node.done_on is not None or node.planned >= today:
            continue
        if node.seq < reached or rng.random() < 0.9:
            node.done_on = min(today, node.planned + timedelta(days=rng.randint(-5, 4)))
            done[node.code] = node.done_on
    return done


def _investment(session: Session, rng: random.Random, p: Project, today: date) -> int:
    """This year's monthly investment of a started project; the monthly plan in fen."""
    plan = p.total_investment_fen * rng.randint(20, 40) // 100 // 12
    pace = rng.uniform(0.75, 1.2)
    for month in range(1, 13):
        completed = int(plan * pace * rng.uniform(0.8, 1.2)) if month < today.month else 0
        session.add(
            InvestmentMonth(
                project_id=p.id, year=today.year, month=month, planned_fen=plan, completed_fen=completed
            )
        )
    return plan


def _history(
    session: Session, actor: Actor, rng: random.Random, projects: list[Project], today: date
) -> None:
    """Past plan nodes mostly done, and this year's monthly investment, audited per project."""
    changes: list[audit.Change] = []
    for p in projects:
        done = _done_nodes(session, rng, p, today)
        if done:
            changes.append(audit.Change("projects.plan.node_done", "project", p.code, None, done, "演示数据"))
        if p.stage_enum.rank >= Stage.started.rank and p.started_on is not None:
            plan = _investment(session, rng, p, today)
            changes.append(
                audit.Change(
                    "projects.investment.set",
                    "project",
                    p.code,
                    None,
                    {"year": today.year, "monthly_plan_fen": plan},
                    "演示数据",
                )
            )
    session.flush()
    audit.record_many(session, actor=actor, changes=changes)


def _orders(session: Session, actor: Actor, rng: random.Random, projects: list[Project], today: date) -> None:
    cal = calendar()
    for p in rng.sample(projects, min(12, len(projects))):
        order = supervision_service.issue_order(
            session,
            actor=actor,
            code=p.code,
            data=OrderIn(
                subject=rng.choice(
                    ["加快施工许可办理", "说明设备进场滞后原因", "报送本月投资完成情况", "协调用地指标"]
                ),
                demand="请责任单位说明进展、存在问题及下一步措施。",
                reply_working_days=5,
            ),
        )
        order.issued_on = cal.add_working_days(today, -rng.randint(2, 15))
        order.reply_due = cal.add_working_days(order.issued_on, 5)
    session.flush()


def _evidence(session: Session, actor: Actor, projects: list[Project]) -> None:
    candidates = []
    for i, p in enumerate(projects[:6]):
        when, yi = p.signed_on or p.lead_on, p.total_investment_fen // 10**10
        candidates.append(
            EvidenceCandidate(
                source_ref=f"demo-{i}",
                sentence=f"（演示）{p.investor_names}{p.name}签约落户，总投资约{yi}亿元。",
                event="signed",
                reported_on=when,
                cue=f"签约总投资{yi}亿元",
                org_names=(p.investor_names,),
                project_name=p.name,
                amount_fen=p.total_investment_fen,
                district=p.district,
            )
        )
    for i, name in enumerate(["龙城示范氢能装备有限公司", "滆湖智算科技有限公司", "延陵生物医药有限公司"]):
        candidates.append(
            EvidenceCandidate(
                source_ref=f"demo-lead-{i}",
                sentence=f"（演示）{name}新能源装备项目集中开工，计划总投资{12 + i * 8}亿元。",
                event="started",
                reported_on=local_today() - timedelta(days=3 + i),
                cue=f"开工总投资{12 + i * 8}亿元",
                org_names=(name,),
                amount_fen=(12 + i * 8) * 10**10,
                district=["wujin", "xinbei", "jintan"][i],
            )
        )
    evidence_service.propose_evidence(session, actor=actor, candidates=candidates)


def seed(session: Session, *, actor: Actor, count: int = 300, orgs: int = 3000, seed: int = 2026) -> int:
    """Create ``count`` fictional projects (plus their history) in the caller's transaction."""
    rng = random.Random(seed)
    today = local_today()
    firms = [o for o in registry_demo.generate(min(orgs, 400)) if o["org_type"] == "enterprise"]
    officer = users.get_by_username(session, "officer")
    projects = []
    for n in range(count):
        data = _project(rng, firms, today, n)
        if officer is not None and n % 25 == 0:
            data["task_force"] = [
                {"name": officer.display_name, "title": "专班成员", "username": officer.username}
            ]
        projects.append(
            service.create(session, actor=actor, data=ProjectCreate.model_validate(data), source="demo")
        )
    _history(session, actor, rng, projects, today)
    negotiating = [p.code for p in projects if p.stage == Stage.negotiating.value][:10]
    if negotiating:
        service.run_ceremony(
            session,
            actor=actor,
            data=CeremonyIn(
                kind="signing",
                name=f"{today.year}年四季度集中签约（演示）",
                held_on=today - timedelta(days=2),
                codes=negotiating,
            ),
        )
    _orders(session, actor, rng, [p for p in projects if p.stage_enum.rank >= Stage.signed.rank], today)
    _evidence(session, actor, [p for p in projects if p.signed_on])
    service.recompute_all(session, actor=actor)
    return len(projects)
