"""Demo data of 揭榜挂帅: the district's "十大需求" and a few more open challenges (fictitious)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.core.ids import make_uscc
from longcheng.core.validation import validate
from longcheng.matching.broker import service as broker
from longcheng.matching.capabilities import service as capabilities
from longcheng.matching.capabilities.schemas import CapabilityIn
from longcheng.matching.challenges import service
from longcheng.matching.challenges.schemas import ChallengeIn

# (title, field, summary, details, TRL now, TRL target, 榜额, days to deadline, seeker, top ten)
CHALLENGES = [
    (
        "石墨烯材料团聚问题",
        "新材料/石墨烯",
        "石墨烯粉体加入导热涂料后团聚，漆膜导热不均。",
        "现用环氧体系，石墨烯添加量3%，要求分散稳定6个月以上。",
        4,
        7,
        "300万元",
        60,
        "常州某石墨烯科技有限公司",
        True,
    ),
    (
        "动力电池低温容量衰减",
        "新能源/锂电",
        "零下二十度放电容量不足常温六成。",
        "磷酸铁锂体系，目标零下二十度容量保持率80%。",
        4,
        7,
        "500万元",
        75,
        "常州某动力电池有限公司",
        True,
    ),
    (
        "冲压件表面缺陷在线检测",
        "智能制造",
        "人工目检漏检率高，需在线自动检测划痕、凹坑。",
        "节拍每分钟30件，最小缺陷0.2毫米。",
        5,
        8,
        "120万元",
        45,
        "常州某汽车零部件有限公司",
        True,
    ),
    (
        "油库储罐挥发性有机物治理",
        "节能环保",
        "储罐呼吸排放VOCs浓度超标，需低成本回收方案。",
        "罐容5000立方米，年周转量20万吨。",
        5,
        8,
        "200万元",
        50,
        "常州某石化仓储有限公司",
        True,
    ),
    (
        "车规级MCU国产替代",
        "电子信息",
        "需要通过AEC-Q100的国产32位微控制器。",
        "用于车身控制域，年用量50万片。",
        3,
        7,
        "800万元",
        90,
        "常州某汽车电子有限公司",
        True,
    ),
    (
        "发酵液氨基酸提取收率低",
        "生物医药",
        "下游纯化步骤多，收率不足七成。",
        "现用离子交换加结晶工艺。",
        4,
        6,
        "150万元",
        40,
        "常州某生物科技有限公司",
        False,
    ),
    (
        "光伏组件积灰清洗",
        "新能源/光伏",
        "屋顶电站积灰导致发电量下降，人工清洗成本高。",
        "",
        6,
        8,
        "80万元",
        30,
        "常州某新能源有限公司",
        False,
    ),
    (
        "大体积混凝土早期开裂",
        "建筑建材",
        "大体积底板浇筑后出现温度裂缝。",
        "",
        5,
        7,
        "60万元",
        35,
        "常州某建设集团有限公司",
        False,
    ),
]


# (title, kind, field, TRL, keywords, description, organisation)
CAPABILITIES = [
    (
        "冷凝加吸附组合式油气回收装置",
        "专利",
        "节能环保",
        7,
        "油气回收、储罐、冷凝",
        "回收储罐大小呼吸排放的汽油蒸气，回收率95%以上。",
        "常州某环境科学研究院",
    ),
    (
        "纳米碳材料液相稳定分散技术",
        "科技成果",
        "新材料",
        6,
        "分散剂、高剪切、涂料",
        "片层在树脂体系中六个月不沉降。",
        "常州某先进材料研究院",
    ),
    (
        "宽温域锂离子电池电解液",
        "科技成果",
        "新能源",
        6,
        "电解液、低温",
        "零下三十度放电保持率八成。",
        "常州某新能源研究院",
    ),
    (
        "金属表面瑕疵深度学习识别系统",
        "科技成果",
        "智能制造",
        7,
        "机器视觉、缺陷检测",
        "工业相机采图，识别划伤、压痕。",
        "常州某智能制造研究院",
    ),
    (
        "光伏板无水清扫机器人",
        "科技成果",
        "新能源",
        8,
        "光伏、清洗、机器人",
        "沿组件阵列自动行走清扫灰尘。",
        "常州某新能源研究院",
    ),
    (
        "大体积混凝土温控防裂技术",
        "科技成果",
        "建筑建材",
        8,
        "混凝土、温控、裂缝",
        "低热水泥配合埋管冷却与养护监测。",
        "常州某建筑科学研究院",
    ),
]


def _seed_capabilities(session: Session, *, actor: Actor) -> None:
    rng = random.Random(1414)
    orgs: dict[str, str] = {}
    for title, kind, field, trl, keywords, description, org in CAPABILITIES:
        uscc = orgs.setdefault(org, make_uscc(rng, division="320412"))
        data = {
            "title": title,
            "kind": kind,
            "field": field,
            "trl": trl,
            "keywords": keywords,
            "description": description,
            "org_uscc": uscc,
            "org_name": org,
        }
        capabilities.create(session, actor=actor, data=validate(CapabilityIn, data, code="matching.invalid"))


def seed(session: Session, *, actor: Actor) -> int:
    """Publish the demo challenges (anonymous seekers for the first two); returns how many."""
    for i, (title, field, summary, details, now, target, budget, days, seeker, top) in enumerate(CHALLENGES):
        data = {
            "title": title,
            "field": field,
            "summary": summary,
            "details": details or summary,
            "trl_current": now,
            "trl_target": target,
            "budget": budget,
            "deadline": (local_today() + timedelta(days=days)).isoformat(),
            "seeker_name": seeker,
            "anonymous": i < 2,
            "district": "wujin",
            "top_ten": top,
        }
        service.publish(session, actor=actor, data=validate(ChallengeIn, data, code="matching.invalid"))
    _seed_capabilities(session, actor=actor)
    broker.suggest(session, actor=actor, per_challenge=2)
    return len(CHALLENGES)
