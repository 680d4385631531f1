"""A generator of plausible but fictional Changzhou organisations for ``make demo``.

Names are composed from word lists written for this project (a place-flavoured prefix, a
business word, an industry word and a legal form); codes are valid USCCs; tags and facts follow
the shape of real data (a few percent high-tech firms, R&D about 3–6 % of revenue).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.ids import make_uscc
from longcheng.registry import reference as ref
from longcheng.registry.importer import ParsedRow, refresh_statistics, write_rows
from longcheng.registry.people import demo as people_demo
from longcheng.registry.schemas import OrgCreate

PREFIXES = [
    "龙城",
    "延陵",
    "天目",
    "滆湖",
    "长荡",
    "茅山",
    "运河",
    "青果",
    "红梅",
    "东坡",
    "舜山",
    "芙蓉",
    "雪堰",
    "湖塘",
    "孟河",
    "薛家",
    "罗溪",
    "奔牛",
    "邹区",
    "礼嘉",
    "横林",
    "戴埠",
    "社渚",
    "直溪",
    "金沙",
    "江南",
    "锦程",
    "恒越",
    "博瑞",
    "远航",
    "中科",
    "华晟",
    "鼎盛",
    "瑞丰",
    "聚能",
    "启明",
]
CORES = [
    "智造",
    "精密",
    "新材",
    "光电",
    "动力",
    "储能",
    "微电",
    "数控",
    "生物",
    "医疗",
    "环保",
    "信息",
    "氢能",
    "碳纤",
    "传感",
    "机器人",
    "半导体",
    "汽车部件",
    "轨道交通",
    "光伏",
    "锂电",
    "软件",
]
FORMS = [
    ("科技有限公司", "enterprise"),
    ("股份有限公司", "enterprise"),
    ("装备有限公司", "enterprise"),
    ("新能源有限公司", "enterprise"),
    ("材料科技有限公司", "enterprise"),
    ("电子有限公司", "enterprise"),
]
INDUSTRIES = [
    "3311",
    "3412",
    "3435",
    "3562",
    "3670",
    "3811",
    "3841",
    "3825",
    "3976",
    "3985",
    "2651",
    "2761",
    "4011",
    "6513",
    "7320",
    "3091",
    "3099",
    "2929",
    "3360",
    "3734",
]
RESEARCH = [
    ("常州{}技术研究院", "institute"),
    ("江苏{}创新中心", "new_rd"),
    ("常州{}产业技术研究院", "new_rd"),
]
STREETS = [
    "龙锦路",
    "常澄路",
    "长江路",
    "延政路",
    "武宜路",
    "锦程路",
    "华山路",
    "晋陵路",
    "河海路",
    "天目湖大道",
]


def _name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    while True:
        if rng.random() < 0.04:
            template, kind = rng.choice(RESEARCH)
            name = template.format(rng.choice(CORES))
        else:
            form, kind = rng.choice(FORMS)
            name = f"常州{rng.choice(PREFIXES)}{rng.choice(CORES)}{form}"
            if rng.random() < 0.5:
                name = f"江苏{rng.choice(PREFIXES)}{rng.choice(PREFIXES)}{rng.choice(CORES)}{form}"
        if name not in used:
            used.add(name)
            return name, kind


def _tags(rng: random.Random, today: date) -> list[dict[str, Any]]:
    tags: list[dict[str, Any]] = []
    for code, share in (
        ("high_tech", 0.22),
        ("tech_sme", 0.30),
        ("srdi", 0.08),
        ("little_giant", 0.015),
        ("gazelle", 0.04),
        ("champion", 0.005),
    ):
        if rng.random() < share:
            t = ref.tag_types()[code]
            start = today - timedelta(days=rng.randint(0, 365 * t.valid_years + 200))
            end = date(start.year + t.valid_years, start.month, min(start.day, 28)) - timedelta(days=1)
            tags.append(
                {
                    "tag": code,
                    "level": rng.choice(t.levels),
                    "valid_from": start,
                    "valid_to": end,
                    "certificate_no": f"GR{start.year}32{rng.randint(100000, 999999)}",
                    "source": "演示数据（虚构）",
                }
            )
    return tags


def _facts(rng: random.Random, year: int) -> list[dict[str, Any]]:
    revenue = int(rng.lognormvariate(17.5, 1.3)) * 100  # fen; median ≈ 4000万元
    facts = []
    for y in (year - 2, year - 1):
        revenue = int(revenue * rng.uniform(0.9, 1.3))
        rd = int(revenue * rng.uniform(0.02, 0.07))
        facts += [
            {"kind": "revenue", "year": y, "value": revenue, "currency": "CNY", "source": "演示数据（虚构）"},
            {"kind": "rd_spending", "year": y, "value": rd, "currency": "CNY", "source": "演示数据（虚构）"},
            {
                "kind": "tax",
                "year": y,
                "value": int(revenue * rng.uniform(0.02, 0.06)),
                "currency": "CNY",
                "source": "演示数据（虚构）",
            },
            {
                "kind": "employees",
                "year": y,
                "value": max(5, revenue // 80_000_000),
                "currency": None,
                "source": "演示数据（虚构）",
            },
        ]
    return facts


def generate(count: int, *, seed: int = 2026, today: date | None = None) -> Iterator[dict[str, Any]]:
    """Yield ``count`` organisations as plain dicts with their ``tags`` and ``facts``."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    used_names: set[str] = set()
    used_codes: set[str] = set()
    zones = ref.zones()
    for _ in range(count):
        zone = rng.choice(zones) if rng.random() < 0.7 else None
        district = zone.district if zone else rng.choice(ref.districts()).code
        division = next(p for p in ref.districts() if p.code == district)
        uscc = make_uscc(rng, division=division.division)
        while uscc in used_codes:
            uscc = make_uscc(rng, division=division.division)
        used_codes.add(uscc)
        name, kind = _name(rng, used_names)
        yield {
            "uscc": uscc,
            "name": name,
            "org_type": kind,
            "district": district,
            "park": zone.code if zone else None,
            "industry": rng.choice(INDUSTRIES),
            "address": f"常州市{division.name}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            "established": today - timedelta(days=rng.randint(200, 365 * 25)),
            "tags": _tags(rng, today) if kind == "enterprise" else [],
            "facts": _facts(rng, today.year),
        }


def parsed_rows(count: int, *, seed: int = 2026) -> Iterator[ParsedRow]:
    for item in generate(count, seed=seed):
        org = OrgCreate.model_validate({k: v for k, v in item.items() if k not in ("tags", "facts")})
        yield ParsedRow(org, item["tags"], item["facts"])


def seed(session: Session, *, actor: Actor, count: int, seed: int = 2026) -> int:
    """Insert ``count`` fictional organisations (with audit records) in the caller's transaction."""
    created = write_rows(session, actor=actor, rows=parsed_rows(count, seed=seed))
    people_demo.seed(session, actor=actor, seed=seed)
    refresh_statistics(session)
    return created
