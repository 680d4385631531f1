"""Fictional bulletin rows for the projects benchmarks and for looking at the report.

Every name, firm and person here is invented; nothing is copied from the corpus.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from longcheng.projects.report.gather import MonthlyReport, ReportProject
from longcheng.projects.schedule.lights import Light
from longcheng.projects.schedule.progress import Month
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage

DISTRICTS: dict[str, list[str]] = {
    "新北区": ["常州国家高新区", "滨江经济开发区", "空港产业园"],
    "武进区": ["武进国家高新区", "西太湖科技产业园", "武进经济开发区"],
    "天宁区": ["天宁经济开发区", "青龙科创园"],
    "钟楼区": ["钟楼经济开发区", "五星科技园"],
    "金坛区": ["金坛经济开发区", "华罗庚高新区"],
    "溧阳市": ["溧阳高新区", "溧阳经济开发区"],
    "常州经开区": ["常州经开区", "东方科创园"],
}
INDUSTRIES = [
    "新能源汽车及核心部件",
    "动力电池",
    "光伏",
    "智能制造装备",
    "新材料",
    "生物医药",
    "集成电路",
    "数字经济",
    "现代服务业",
    "氢能",
    "航空航天",
    "基础设施",
]
PRODUCTS = [
    "动力电池",
    "储能系统",
    "光伏组件",
    "精密轴承",
    "工业机器人",
    "碳纤维",
    "创新药",
    "功率芯片",
    "电驱系统",
]
PREFIXES = ["龙城", "晋陵", "延陵", "毗陵", "兰陵", "滆湖", "天目"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗"
GIVEN = ["建国", "志强", "海燕", "立新", "文静", "国庆", "晓明", "红梅", "振华", "卫东"]
LISTS = [("省重大", 0.04), ("市重大", 0.25), ("区重大", 0.55), ("532", 0.12), ("1231", 0.05)]
BATCHES = ["2026年5.18集中签约", "2026年三季度集中开工"]
NODES = ["立项备案", "土地摘牌", "施工许可", "主体封顶", "设备进场", "竣工验收"]


def _stage_dates(rng: random.Random, stage: Stage, month: Month) -> dict[Stage, date]:
    """Dates for every stage reached, in order, ending on or before the month's last day."""
    reached = list(STAGE_ORDER[2 : stage.rank + 1])
    end = month.last_day - timedelta(days=rng.choice([rng.randint(0, 25), rng.randint(0, 500)]))
    dates: dict[Stage, date] = {}
    when = end
    for s in reversed(reached):
        dates[s] = when
        when -= timedelta(days=rng.randint(10, 200))
    return dates


def _reasons(rng: random.Random, month: Month) -> tuple[str, ...]:
    reasons = []
    for _ in range(rng.randint(1, 2)):
        planned = month.first_day - timedelta(days=rng.randint(5, 80))
        reasons.append(
            f"“{rng.choice(NODES)}”计划于{planned.isoformat()}完成，已逾期{rng.randint(3, 55)}个工作日"
        )
    if rng.random() < 0.3:
        reasons.append(
            f"督办单DB-{month.year}-{rng.randint(1, 400):03d}"
            f"要求{month.first_day.isoformat()}前答复，已逾期未答复"
        )
    return tuple(reasons)


def make_project(rng: random.Random, index: int, month: Month) -> ReportProject:
    district = rng.choice(list(DISTRICTS))
    industry = rng.choice(INDUSTRIES)
    stage = rng.choices(STAGE_ORDER[2:], weights=[18, 12, 30, 15, 15, 10])[0]
    total = rng.choice([rng.randint(1, 20), rng.randint(5, 60), rng.randint(20, 300)]) * 10**9  # 1千万–30亿元
    annual = total // rng.randint(3, 6)
    lists = tuple(name for name, p in LISTS if rng.random() < p) or ("区重大",)
    if rng.random() < 0.06:
        lists += (rng.choice(BATCHES),)
    light = rng.choices([Light.green, Light.yellow, Light.red], weights=[72, 18, 10])[0]
    prefix, verb = rng.choice(PREFIXES), rng.choice(["年产", "新建", "扩建"])
    return ReportProject(
        code=f"XM{month.year}{index:05d}",
        name=f"{prefix}{verb}{rng.randint(2, 60)}万套{rng.choice(PRODUCTS)}项目",
        district=district,
        park=rng.choice(DISTRICTS[district]),
        industry=industry,
        lists=lists,
        stage=stage,
        stage_dates=_stage_dates(rng, stage, month),
        agreed_investment_fen=total + rng.randint(0, 10) * 10**8,
        total_investment_fen=total,
        annual_plan_fen=annual,
        completed_year_fen=int(annual * rng.uniform(0.3, 1.15)) if stage.rank >= Stage.started.rank else 0,
        light=light,
        red_reasons=_reasons(rng, month) if light is Light.red else (),
        leader=rng.choice(SURNAMES) + rng.choice(GIVEN),
        investor=f"{prefix}{rng.choice(PRODUCTS)}科技有限公司",
    )


def make_report(n: int, month: Month = Month(2026, 10), seed: int = 518) -> MonthlyReport:
    rng = random.Random(seed)
    projects = [make_project(rng, i, month) for i in range(1, n + 1)]
    return MonthlyReport(month=month, projects=projects, generated_on=date(2026, 11, 24))
