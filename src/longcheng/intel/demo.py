"""Demo data of the intel module: fictional investment news, ingested as bulletins by ``longcheng demo``.

Every name, number and sentence is assembled from the vocabulary below; nothing is taken from
real articles. Each article is about one project whose investment is drawn on a city's scale
(median about 3亿元) and repeated, not redrawn, wherever the article states it; completed
investment is a part of it and a district's signing total adds up its count of projects, so the
news dashboard's yearly total stays in the hundreds to a few thousand 亿元. :func:`articles` is
deterministic for a seed (the search and pipeline benchmarks use it through
``bench/gen_articles.py``). Given the registry's organisation names, some articles
name demo firms in full (linked automatically) and some by a shortened name such as "龙城光伏集团"
(proposed for review), so the demo's link-review queue has work in it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import hooks
from longcheng.core.actors import Actor
from longcheng.intel.linker import core
from longcheng.intel.models import Fact
from longcheng.intel.service.ingest import IngestContext, ingest_data, prepare
from longcheng.intel.service.search import reindex
from longcheng.registry import service as registry_service

PLACES = (
    "天宁区", "钟楼区", "新北区", "武进区", "金坛区", "溧阳市", "常州经开区", "武进国家高新区",
    "溧阳高新区", "西太湖科技产业园", "滨江经济开发区", "金坛华罗庚高新区", "常州科教城", "湖塘镇",
    "雪堰镇", "春江街道", "罗溪镇", "嘉泽镇",
)  # fmt: skip
INDUSTRIES = (
    "光伏", "锂电池", "储能", "新能源汽车", "动力电池", "智能制造", "工业机器人", "生物医药", "医疗器械",
    "集成电路", "碳纤维", "石墨烯", "轨道交通", "氢能", "工业互联网", "新材料", "高端装备", "节能环保",
    "合成生物", "数字经济",
)  # fmt: skip
PRODUCTS = (
    "电池片", "组件", "正极材料", "隔膜", "电解液", "储能柜", "电驱系统", "减速器", "传感器", "芯片封装",
    "复合材料", "检测设备", "数控机床", "液压件", "服务器", "软件平台", "试剂", "导管", "叶片", "逆变器",
)  # fmt: skip
FIRM_HEADS = (
    "龙腾", "澄江", "淹城", "荆川", "青果", "南大", "天目", "凤凰", "瑞德", "恒泰", "鼎新", "华科", "金石",
    "聚源", "远航", "博瑞", "星辰", "汇智", "中科", "同创", "新吴", "太湖", "江南", "锦程", "明德", "卓越",
)  # fmt: skip
FIRM_TAILS = ("科技有限公司", "新能源股份有限公司", "集团", "智能装备有限公司", "材料科技有限公司", "研究院")
EVENTS = ("签约", "开工", "竣工", "投产", "落户", "奠基", "揭牌")
STAGES = ("一期", "二期", "三期", "扩建", "技改")
LEADS = ("近日", "日前", "本月", "上周", "今年以来", "昨天上午")
OPENINGS = (
    "{place}{event}了{firm}{industry}{product}{stage}项目",
    "{firm}与{place}管委会{event}{industry}{product}项目",
    "{place}{industry}产业再添新动能，{firm}{product}项目{event}",
    "总投资{amount}的{firm}{industry}{stage}项目在{place}{event}",
)  # fmt: skip
SENTENCES = (
    "项目总投资{amount}，建成后可形成年产{qty}{unit}{product}的能力。",
    "该项目计划投资{amount}，预计{year}年底建成投产，达产后年产值约{amount2}。",
    "截至目前，项目已完成投资{done}，主体厂房{progress}。",
    "{place}今年以来新签约{industry}项目{count}个，协议总投资{total}。",
    "{firm}负责人表示，将依托{place}的产业基础，加快{industry}核心技术攻关。",
    "{place}相关负责人介绍，园区已集聚{industry}上下游企业{count}家，形成较为完整的产业链。",
    "项目达产后预计年营业收入{amount2}，新增就业岗位{jobs}个。",
    "下一步，{place}将持续优化营商环境，推动{industry}产业集群高质量发展。",
    "会上还发布了{industry}领域{count}项技术需求，吸引多家高校和科研院所对接。",
    "{firm}成立于{founded}年，主要从事{industry}{product}的研发、生产和销售。",
    "今年一季度，{place}规上工业总产值同比增长{pct}%，其中{industry}产业增长{pct2}%。",
    "该项目获得市级专项补助资金{small}，并享受{place}招商引资扶持政策。",
)  # fmt: skip
FIRM_SENTENCES = (
    "{firm}计划投资{amount}，在{place}新建{product}生产线。",
    "据悉，{firm}去年实现营业收入{amount2}，同比增长{pct}%。",
    "{firm}与{place}签约，协议投资{amount}建设{industry}{product}项目。",
    "{firm}获得{place}专项补助资金{small}。",
)  # fmt: skip
PROGRESS = ("已经封顶", "正在进行设备安装", "进入装修阶段", "完成桩基施工", "已投入试生产")
UNITS = ("万片", "吉瓦", "万套", "万吨", "台", "万只")
START = date(2019, 1, 1)
DAYS = 365 * 6


DEMO_START = date(2025, 1, 1)
DEMO_DAYS = 670
HANDOFF_DAYS = 90  # the demo hands the last quarter's news to the projects module
_REGISTRY_SHARE = 0.7
_SHORT_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class FakeArticle:
    title: str
    body: str
    published: date
    place: str
    industry: str
    amount_fen: int

    def as_text(self) -> str:
        """The article as a bulletin prints it: title, date line, body."""
        return f"{self.title}\n{self.published.isoformat()}\n{self.body}\n"


def _written(wan: int) -> str:
    """``56000`` 万元 → "5.6亿元"; under 1亿 in 万元."""
    if wan < 10_000:
        return f"{wan}万元"
    yi, rest = divmod(wan, 10_000)
    tenth = rest // 1000
    return f"{yi}.{tenth}亿元" if tenth else f"{yi}亿元"


def _fen(text: str) -> int:
    number, unit = text[:-2], text[-2:]
    return int(Decimal(number) * (10**8 if unit == "亿元" else 10**4) * 100)


def _project_wan(rng: random.Random) -> int:
    """One project's investment in 万元, on the scale of a city's projects: median about 3亿元,
    one in twenty past 20亿元, none past 150亿元; under 1亿 rounded to 100万元, else to 0.1亿元."""
    wan = min(150 * 10_000, max(800, int(rng.lognormvariate(10.3, 1.1))))
    return wan // 100 * 100 if wan < 10_000 else wan // 1000 * 1000


def _fill(template: str, rng: random.Random, slots: dict[str, str], wan: int) -> str:
    """A sentence about the article's project (``wan`` 万元 in all) and its place."""
    count = rng.randint(3, 30)
    extra = {
        "amount": _written(wan),
        "done": _written(max(100, wan * rng.randint(10, 80) // 100 // 100 * 100)),
        "amount2": _written(wan * rng.randint(8, 25) // 10 // 100 * 100),
        "total": _written(count * _project_wan(rng) // 2 // 1000 * 1000 + 10_000),
        "small": f"{rng.randint(50, max(60, min(3000, wan // 10)))}万元",
        "qty": str(rng.randint(2, 200)),
        "unit": rng.choice(UNITS),
        "year": str(rng.randint(2020, 2027)),
        "progress": rng.choice(PROGRESS),
        "count": str(count),
        "jobs": str(max(30, min(3000, wan // rng.randint(20, 60)))),
        "founded": str(rng.randint(1995, 2021)),
        "pct": str(rng.randint(2, 30)),
        "pct2": str(rng.randint(2, 45)),
    }
    return template.format(**slots, **extra)


def _firm(rng: random.Random, firms: Sequence[str]) -> str:
    """A registry firm by its full name, or shortened as news often writes it; else a fictional one."""
    if firms and rng.random() < _REGISTRY_SHARE:
        name = rng.choice(firms)
        if rng.random() < _SHORT_SHARE:
            short = core(name)
            return (short if rng.random() < 0.5 else short[:4]) + "集团"
        return name
    return rng.choice(FIRM_HEADS) + rng.choice(INDUSTRIES[:10]) + rng.choice(FIRM_TAILS)


def _slots(rng: random.Random, firms: Sequence[str]) -> dict[str, str]:
    return {
        "place": rng.choice(PLACES),
        "industry": rng.choice(INDUSTRIES),
        "product": rng.choice(PRODUCTS),
        "firm": _firm(rng, firms),
        "event": rng.choice(EVENTS),
        "stage": rng.choice(STAGES),
    }


def article(
    rng: random.Random, *, firms: Sequence[str] = (), start: date = START, days: int = DAYS
) -> FakeArticle:
    """One article: a headline, a lead and 6 to 10 different sentences about one project, whose
    amount is the same wherever the article repeats it."""
    slots = _slots(rng, firms)
    wan = _project_wan(rng)
    amount = _written(wan)
    title = rng.choice(OPENINGS).format(**slots, amount=amount)
    lead = f"{rng.choice(LEADS)}，{title}。"
    sentences = [_fill(t, rng, slots, wan) for t in rng.sample(SENTENCES, rng.randint(6, 10))]
    if firms:  # the demo: news that names a registry firm next to an amount
        sentences.insert(rng.randint(0, 3), _fill(rng.choice(FIRM_SENTENCES), rng, slots, wan))
    paragraphs = [lead + "".join(sentences[:3]), "".join(sentences[3:])]
    published = start + timedelta(days=rng.randrange(days))
    return FakeArticle(
        title, "\n".join(paragraphs), published, slots["place"], slots["industry"], _fen(amount)
    )


def articles(
    count: int, seed: int = 7, *, firms: Sequence[str] = (), start: date = START, days: int = DAYS
) -> Iterator[FakeArticle]:
    """``count`` articles; the same seed (and firms) always gives the same articles."""
    rng = random.Random(seed)
    for _ in range(count):
        yield article(rng, firms=firms, start=start, days=days)


def bulletins(items: Sequence[FakeArticle], per_file: int = 10) -> Iterator[tuple[str, bytes]]:
    """Articles grouped into bulletin files (name, UTF-8 bytes), as a news office sends them."""
    for number, first in enumerate(range(0, len(items), per_file), start=1):
        text = "\n\n".join(a.as_text() for a in items[first : first + per_file])
        yield f"招商简报-演示-{number:03d}.txt", text.encode("utf-8")


@dataclass(frozen=True)
class DemoResult:
    documents: int
    articles: int
    facts: int
    links_proposed: int
    project_evidence: int
    project_leads: int


def seed(session: Session, *, actor: Actor, data_dir: Path, count: int = 300, seed: int = 2026) -> DemoResult:
    """Ingest ``count`` fictional articles naming the registry's demo firms, build the index and
    announce the recent facts to the modules that read the news (evidence for demo projects, new leads)."""
    firms = [name for _, name, _ in registry_service.all_names(session, actor=actor)]
    firms += firms[:1] * (len(firms) // 50)  # the demo firm user's own firm is in the news too
    items = list(articles(count, seed, firms=firms, start=DEMO_START, days=DEMO_DAYS))
    ctx: IngestContext = prepare(session, actor=actor, data_dir=data_dir, max_bytes=50 * 1024 * 1024)
    documents = stored = proposed = 0
    fact_ids: list[int] = []
    for name, data in bulletins(items):
        outcome = ingest_data(session, actor=actor, ctx=ctx, data=data, name=name)
        documents += outcome.status == "stored"
        stored, fact_ids = stored + outcome.articles, fact_ids + outcome.fact_ids
        proposed += outcome.links.proposed
    reindex(session, actor=actor, data_dir=data_dir)
    cutoff = DEMO_START + timedelta(days=DEMO_DAYS - HANDOFF_DAYS)
    recent = session.scalars(select(Fact.id).where(Fact.published >= cutoff)).all()
    replies = hooks.publish(hooks.FACTS_STORED, session, actor=actor, fact_ids=recent)
    evidence, leads = hooks.count(replies, "project_evidence"), hooks.count(replies, "project_leads")
    return DemoResult(documents, stored, len(fact_ids), proposed, evidence, leads)
