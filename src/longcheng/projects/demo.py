"""Fictional investment projects for ``longcheng demo``: a few hundred across districts, stages and lists.

The demo holds together the way a leader would check it: each project's size is drawn on the
scale of a city's key projects (median about 5亿元, a few thousand 亿元 in all), its investor is a
firm big enough for it (revenue at least a fifth of the investment) whose name says it makes what
the project is about, its stage dates and done plan nodes follow its plan in order, it books
investment only from its start month, and only signed projects big enough sit on official lists.

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
from longcheng.projects.schedule.plans import PlanTemplate, build_plan, load_templates
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage
from longcheng.projects.schemas import CeremonyIn, OrderIn, ProjectCreate
from longcheng.projects.service.lights import calendar
from longcheng.projects.supervision import service as supervision_service
from longcheng.registry import demo as registry_demo
from longcheng.registry import reference as ref

#: Products by the word in the investor's name that says what it makes, so a 生物 firm builds a
#: drug plant and a 光伏 firm a module line: (name core words, product template, industry code).
PRODUCTS = [
    (("锂电", "储能", "动力"), "年产{n}GWh动力电池", "3841"),
    (("储能", "动力", "锂电"), "智能储能系统集成", "3841"),
    (("氢能",), "氢燃料电池系统", "3841"),
    (("汽车部件", "轨道交通"), "年产{n}万套新能源汽车电驱系统", "3670"),
    (("光伏", "光电"), "{n}GW高效光伏组件", "3825"),
    (("机器人", "智造", "数控"), "年产{n}万台工业机器人", "3491"),
    (("新材", "碳纤", "环保"), "年产{n}万吨碳纤维复合材料", "3091"),
    (("半导体", "微电", "传感"), "{n}英寸功率半导体", "3976"),
    (("生物",), "创新药研发及产业化基地", "2761"),
    (("精密", "数控", "智造"), "精密轴承及传动部件", "3450"),
    (("软件", "信息"), "数字经济产业园", "6513"),
    (("医疗",), "高端医疗器械", "3585"),
]
SUFFIX = ["项目", "项目（一期）", "扩建项目", "产业化项目"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = ["建国", "志强", "海燕", "立新", "文静", "国庆", "晓明", "红梅", "振华", "卫东"]
TITLES = ["副市长", "市政府秘书长", "副区长", "区委常委", "管委会主任"]
STAGE_SHARE = [0.08, 0.10, 0.14, 0.10, 0.28, 0.12, 0.13, 0.05]
YI_WAN = 10_000  # 1亿元 in 万元
#: Official lists, each with the smallest total investment it takes (万元) and the share of the
#: projects past signing that big that are on it. Only signed projects are listed.
LISTS = [("省重大", 20 * YI_WAN, 0.5), ("市重大", 5 * YI_WAN, 0.6), ("区重大", YI_WAN, 0.7),
         ("532", 3 * YI_WAN, 0.15), ("1231", 10 * YI_WAN, 0.1)]  # fmt: skip
#: An investor puts at most this many times its last year's revenue into one project.
REVENUE_MULTIPLE = 5
USD_RATES_FROM = date(2025, 1, 2)  # the first packaged USD rate (data/fx_rates.yaml)
BEHIND_SHARE = 0.15  # projects whose plan slipped: a due node not done yet


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def revenue_wan(org: dict[str, Any]) -> int:
    """The organisation's latest revenue in 万元 (0 when the demo gave it none)."""
    revenues = [f for f in org["facts"] if f["kind"] == "revenue"]
    return max(revenues, key=lambda f: f["year"])["value"] // 1_000_000 if revenues else 0


def products_for(name: str) -> list[tuple[str, str]]:
    """The product templates (and industry codes) an investor of this name would build."""
    return [(template, industry) for cores, template, industry in PRODUCTS if any(c in name for c in cores)]


def _investor(rng: random.Random, firms: list[dict[str, Any]], total_wan: int) -> dict[str, Any]:
    """A firm big enough for the project and making something a project can be about."""
    able = [f for f in firms if revenue_wan(f) * REVENUE_MULTIPLE >= total_wan and products_for(f["name"])]
    if able:
        return rng.choice(able)
    return max((f for f in firms if products_for(f["name"])), key=revenue_wan)


def _stage_dates(
    rng: random.Random, stage: Stage, template: PlanTemplate, today: date
) -> tuple[Stage, dict[str, date], dict[str, date]]:
    """Stage dates and plan nodes done, in plan order, for a project meant to be at ``stage``.

    Before signing: a lead date and a talks date. From signing on, the plan is laid from a signing
    date chosen so that ``stage`` is due; every node due is done a few days after its planned
    date (never before its predecessor), except that a quarter of the projects stop at a node
    not yet done. The stage is the last stage whose node is done, so a project is never started
    before its 施工许可 nor completed before its 竣工验收.
    """
    if stage.rank < Stage.signed.rank:
        lead_on = today - timedelta(days=rng.randint(30, 300))
        dates = {"lead_on": lead_on}
        if stage is Stage.negotiating:
            dates["negotiating_on"] = lead_on + timedelta(days=rng.randint(7, 25))
        return stage, dates, {}
    cal = calendar()
    draft = build_plan(template, today, cal)
    due = {n.stage: (n.planned - today).days for n in draft if n.stage is not None}
    after = [d for s, d in due.items() if s.rank > stage.rank]
    reach = due.get(stage, 0), min(after) if after else due.get(stage, 0) + 200
    signed_on = today - timedelta(days=rng.randint(reach[0] + 10, max(reach[0] + 10, reach[1] - 5)))
    nodes = sorted(build_plan(template, signed_on, cal), key=lambda n: n.planned)
    stop = next((i for i, n in enumerate(nodes) if n.planned > today - timedelta(days=7)), len(nodes))
    if rng.random() < BEHIND_SHARE and stop > 1:
        stop = rng.randint(1, stop - 1)
    done: dict[str, date] = {}
    for node in nodes[:stop]:
        jitter = node.planned + timedelta(days=rng.randint(0, 6))
        done[node.code] = min(today, max(jitter, done.get(node.after or "", signed_on)))
    done[nodes[0].code] = signed_on
    reached = [n.stage for n in nodes[:stop] if n.stage is not None]
    stage_dates = {f"{s.value}_on": done[n.code] for n in nodes[:stop] if (s := n.stage) is not None}
    lead_on = signed_on - timedelta(days=rng.randint(60, 240))
    stage_dates.update(lead_on=lead_on, negotiating_on=lead_on + timedelta(days=rng.randint(15, 45)))
    return max(reached, key=lambda s: s.rank), stage_dates, done


def _size(rng: random.Random) -> int:
    """Total investment in 万元: median about 5亿, a few projects past 50亿, none past 200亿."""
    return min(200 * YI_WAN, int(rng.lognormvariate(10.8, 0.95)) // 100 * 100 + 3000)


def _project(
    rng: random.Random, orgs: list[dict[str, Any]], today: date, n: int
) -> tuple[dict[str, Any], dict[str, date]]:
    total_wan = _size(rng)
    org = _investor(rng, orgs, total_wan)
    template, industry = rng.choice(products_for(org["name"]))
    kind = "service" if industry.startswith("65") else "industrial"
    stage, dates, done = _stage_dates(
        rng, rng.choices(STAGE_ORDER, STAGE_SHARE)[0], load_templates()[kind], today
    )
    lists = [name for name, least, share in LISTS if stage.rank >= Stage.signed.rank and total_wan >= least
             and rng.random() < share]  # fmt: skip
    zone = next((z for z in ref.zones() if z.code == org["park"]), None) or rng.choice(ref.zones())
    data: dict[str, Any] = {
        "name": template.format(n=rng.choice([2, 5, 10, 20, 30, 50])) + rng.choice(SUFFIX),
        "project_type": kind,
        "district": zone.district,
        "park": zone.code,
        "industry": industry,
        "lists": lists,
        "investors": [{"uscc": org["uscc"]}],
        "agreed_investment": str(total_wan),
        "total_investment": str(int(total_wan * rng.uniform(1.0, 1.2))),
        "land_mu": str(max(10, total_wan // rng.randint(300, 800))),
        "expected_output": str(total_wan * rng.randint(1, 3)),
        "expected_tax": str(total_wan // rng.randint(15, 40)),
        "expected_jobs": max(30, total_wan // rng.randint(60, 200)),
        "leader_name": f"{_person(rng)}（{rng.choice(TITLES)}）",
        "responsible_unit": f"{ref.places()[zone.district].name}商务局",
        "contacts": [{"name": f"{_person(rng)}（虚构）", "phone": f"0519-8{rng.randint(1000000, 9999999)}"}],
        "stage": stage.value,
        **dates,
    }
    if n % 17 == 0:
        data.update(cooperation="north_south", partner_region="阜宁县")
    if n % 41 == 0 and data.get("signed_on", today) >= USD_RATES_FROM:
        stated = total_wan // 7
        data.update(currency="USD", agreed_investment=str(stated), total_investment=str(stated))
    return data, done


def _done_nodes(session: Session, p: Project, done: dict[str, date]) -> dict[str, date]:
    """Mark the nodes the demo history says are done (stage nodes already carry their dates)."""
    marked = {}
    for node in session.scalars(select(PlanNode).where(PlanNode.project_id == p.id)):
        if node.code in done:
            node.done_on = done[node.code]
            marked[node.code] = node.done_on
    return marked


def _investment(session: Session, rng: random.Random, p: Project, today: date) -> int:
    """This year's monthly investment of a started project from its start month; the monthly plan in fen."""
    assert p.started_on is not None
    first = p.started_on.month if p.started_on.year == today.year else 1
    plan = p.total_investment_fen * rng.randint(20, 40) // 100 // 12
    pace = rng.uniform(0.75, 1.2)
    for month in range(first, 13):
        completed = int(plan * pace * rng.uniform(0.8, 1.2)) if month < today.month else 0
        session.add(
            InvestmentMonth(
                project_id=p.id, year=today.year, month=month, planned_fen=plan, completed_fen=completed
            )
        )
    return plan


def _history(
    session: Session,
    actor: Actor,
    rng: random.Random,
    projects: list[tuple[Project, dict[str, date]]],
    today: date,
) -> None:
    """Plan nodes done as laid out by :func:`_stage_dates`, and this year's monthly investment."""
    changes: list[audit.Change] = []
    for p, done in projects:
        marked = _done_nodes(session, p, done)
        if marked:
            changes.append(
                audit.Change("projects.plan.node_done", "project", p.code, None, marked, "演示数据")
            )
        if p.started_on is not None and p.started_on <= today:
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
    leads = [
        ("示范氢能装备有限公司", "氢燃料电池系统项目", 12, "wujin"),
        ("滆湖智算科技有限公司", "智算中心项目", 8, "xinbei"),
        ("长荡湖药业有限公司", "创新药生产基地项目", 6, "jintan"),
    ]
    for i, (name, project, yi, district) in enumerate(leads):
        candidates.append(
            EvidenceCandidate(
                source_ref=f"demo-lead-{i}",
                sentence=f"（演示）{name}{project}开工，总投资{yi}亿元。",
                event="started",
                reported_on=local_today() - timedelta(days=3 + i),
                cue=f"开工总投资{yi}亿元",
                org_names=(name,),
                project_name=project,
                amount_fen=yi * 10**10,
                district=district,
            )
        )
    evidence_service.propose_evidence(session, actor=actor, candidates=candidates)


def seed(session: Session, *, actor: Actor, count: int = 300, orgs: int = 3000, seed: int = 2026) -> int:
    """Create ``count`` fictional projects (plus their history) in the caller's transaction."""
    rng = random.Random(seed)
    today = local_today()
    firms = [o for o in registry_demo.generate(min(orgs, 3000)) if o["org_type"] == "enterprise"]
    officer = users.get_by_username(session, "officer")
    projects: list[tuple[Project, dict[str, date]]] = []
    for n in range(count):
        data, done = _project(rng, firms, today, n)
        if officer is not None and n % 25 == 0:
            data["task_force"] = [
                {"name": officer.display_name, "title": "专班成员", "username": officer.username}
            ]
        project = service.create(session, actor=actor, data=ProjectCreate.model_validate(data), source="demo")
        projects.append((project, done))
    _history(session, actor, rng, projects, today)
    negotiating = [p.code for p, _ in projects if p.stage == Stage.negotiating.value][:10]
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
    signed = [p for p, _ in projects if p.stage_enum.rank >= Stage.signed.rank]
    _orders(session, actor, rng, signed, today)
    _evidence(session, actor, [p for p in signed if p.signed_on])
    service.recompute_all(session, actor=actor)
    return len(projects)
