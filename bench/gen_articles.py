"""Fictional Chinese investment-news articles for benchmarks (deterministic for a seed).

Every name, number and sentence is assembled from the vocabulary below; nothing is taken
from real articles. Run directly to print a few: ``python bench/gen_articles.py 3``.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

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
AMOUNT_UNITS = (("亿元", 10**8), ("万元", 10**4))
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
    "截至目前，项目已完成投资{amount}，主体厂房{progress}。",
    "{place}今年以来新签约{industry}项目{count}个，协议总投资{amount}。",
    "{firm}负责人表示，将依托{place}的产业基础，加快{industry}核心技术攻关。",
    "{place}相关负责人介绍，园区已集聚{industry}上下游企业{count}家，形成较为完整的产业链。",
    "项目达产后预计年营业收入{amount2}，新增就业岗位{jobs}个。",
    "下一步，{place}将持续优化营商环境，推动{industry}产业集群高质量发展。",
    "会上还发布了{industry}领域{count}项技术需求，吸引多家高校和科研院所对接。",
    "{firm}成立于{founded}年，主要从事{industry}{product}的研发、生产和销售。",
    "今年一季度，{place}规上工业总产值同比增长{pct}%，其中{industry}产业增长{pct2}%。",
    "该项目获得市级专项补助资金{small}，并享受{place}招商引资扶持政策。",
)  # fmt: skip
PROGRESS = ("已经封顶", "正在进行设备安装", "进入装修阶段", "完成桩基施工", "已投入试生产")
UNITS = ("万片", "吉瓦", "万套", "万吨", "台", "万只")
START = date(2019, 1, 1)
DAYS = 365 * 6


@dataclass(frozen=True, slots=True)
class FakeArticle:
    title: str
    body: str
    published: date
    place: str
    industry: str
    amount_fen: int


def _amount(rng: random.Random) -> tuple[str, int]:
    unit, factor = rng.choice(AMOUNT_UNITS)
    value = rng.randint(2, 300) if factor == 10**8 else rng.randint(500, 9800)
    tenth = rng.choice((0, 0, rng.randint(1, 9)))
    text = f"{value}.{tenth}{unit}" if tenth else f"{value}{unit}"
    return text, (value * 10 + tenth) * factor * 10  # yuan * 100 = fen


def _fill(template: str, rng: random.Random, slots: dict[str, str]) -> str:
    amount, _ = _amount(rng)
    amount2, _ = _amount(rng)
    extra = {
        "amount": amount,
        "amount2": amount2,
        "small": f"{rng.randint(50, 3000)}万元",
        "qty": str(rng.randint(2, 200)),
        "unit": rng.choice(UNITS),
        "year": str(rng.randint(2020, 2027)),
        "progress": rng.choice(PROGRESS),
        "count": str(rng.randint(3, 60)),
        "jobs": str(rng.randint(50, 3000)),
        "founded": str(rng.randint(1995, 2021)),
        "pct": str(rng.randint(2, 30)),
        "pct2": str(rng.randint(2, 45)),
    }
    return template.format(**slots, **extra)


def _slots(rng: random.Random) -> dict[str, str]:
    return {
        "place": rng.choice(PLACES),
        "industry": rng.choice(INDUSTRIES),
        "product": rng.choice(PRODUCTS),
        "firm": rng.choice(FIRM_HEADS) + rng.choice(INDUSTRIES[:10]) + rng.choice(FIRM_TAILS),
        "event": rng.choice(EVENTS),
        "stage": rng.choice(STAGES),
    }


def article(rng: random.Random) -> FakeArticle:
    """One article: a headline, a lead and 6 to 14 sentences about one project."""
    slots = _slots(rng)
    amount, fen = _amount(rng)
    title = rng.choice(OPENINGS).format(**slots, amount=amount)
    lead = f"{rng.choice(LEADS)}，{title}。"
    sentences = [_fill(rng.choice(SENTENCES), rng, slots) for _ in range(rng.randint(6, 14))]
    paragraphs = [lead + "".join(sentences[:3]), "".join(sentences[3:])]
    published = START + timedelta(days=rng.randrange(DAYS))
    return FakeArticle(title, "\n".join(paragraphs), published, slots["place"], slots["industry"], fen)


def articles(count: int, seed: int = 7) -> Iterator[FakeArticle]:
    """``count`` articles; the same seed always gives the same articles."""
    rng = random.Random(seed)
    for _ in range(count):
        yield article(rng)


if __name__ == "__main__":
    for item in articles(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(item.published, item.place, item.amount_fen, item.title)
        print(item.body, end="\n\n")
