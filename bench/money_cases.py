"""How many of a fixed list of varied amounts the money parser finds (``find_amounts``).

Usage: .venv/bin/python bench/money_cases.py [--verbose]

Each case is a sentence or a phrase as news, contracts and bank documents write it, with the
amount (low and high yuan, ISO currency) that must be found in it; a case counts as found when
``find_amounts`` returns an amount with exactly those bounds and that currency. The negatives are
texts with numbers that are not money: any amount found in them is a false alarm. The cases were
written for issue #16 item 25 (classes: capital numerals, 角/分, currencies, currency before the
number, ranges, N多, mixed digit groups, bare 亿 beside a money word, 超亿元, ASCII punctuation).
"""

from __future__ import annotations

import argparse
import time
from decimal import Decimal

from longcheng.core.money import find_amounts

#: (text, low yuan, high yuan, currency)
CASES: list[tuple[str, str, str, str]] = [
    ("合同总价为叁佰万元整", "3000000", "3000000", "CNY"),
    ("收到货款壹仟贰佰叁拾肆元伍角陆分", "1234.56", "1234.56", "CNY"),
    ("人民币壹佰零壹万元整", "1010000", "1010000", "CNY"),
    ("資本額新台幣貳億伍仟萬圓", "250000000", "250000000", "TWD"),
    ("保證金伍拾萬圓整", "500000", "500000", "CNY"),
    ("大写：人民币壹拾万柒仟元零伍角叁分", "107000.53", "107000.53", "CNY"),
    ("奖金共计一千二百三十四元五角", "1234.5", "1234.5", "CNY"),
    ("票价12元5角", "12.5", "12.5", "CNY"),
    ("每度电价0元5角2分", "0.52", "0.52", "CNY"),
    ("募集新台币300万元", "3000000", "3000000", "TWD"),
    ("月薪台币5万元", "50000", "50000", "TWD"),
    ("投资500万泰铢", "5000000", "5000000", "THB"),
    ("合同金额2000万卢布", "20000000", "20000000", "RUB"),
    ("首轮融资300亿韩元", "30000000000", "30000000000", "KRW"),
    ("营收10亿日元", "1000000000", "1000000000", "JPY"),
    ("出资200万英镑", "2000000", "2000000", "GBP"),
    ("总投资5000万澳元", "50000000", "50000000", "AUD"),
    ("收购价3亿加元", "300000000", "300000000", "CAD"),
    ("基金规模1亿新加坡元", "100000000", "100000000", "SGD"),
    ("订单2000万瑞士法郎", "20000000", "20000000", "CHF"),
    ("捐款港币三千元", "3000", "3000", "HKD"),
    ("注册资本人民币5000万元", "50000000", "50000000", "CNY"),
    ("投资美金200万", "2000000", "2000000", "USD"),
    ("计划投资欧元3000万", "30000000", "30000000", "EUR"),
    ("每人补贴三到五万元", "30000", "50000", "CNY"),
    ("预计投资七八亿元", "700000000", "800000000", "CNY"),
    ("奖励十几万元", "100000", "200000", "CNY"),
    ("年营收二三十亿元", "2000000000", "3000000000", "CNY"),
    ("每台售价2000多美元", "2000", "2000", "USD"),
    ("总投资1,234，567元", "1234567", "1234567", "CNY"),
    ("名列第3，总投资120亿元", "12000000000", "12000000000", "CNY"),
    ("全年销售额突破5亿", "500000000", "500000000", "CNY"),
    ("公司增资3亿", "300000000", "300000000", "CNY"),
    ("完成融资1.5亿", "150000000", "150000000", "CNY"),
    ("签约重大项目,总投资10亿元", "1000000000", "1000000000", "CNY"),
    ("项目,10亿元", "1000000000", "1000000000", "CNY"),
    ("举行签约仪式.20亿元的项目落户", "2000000000", "2000000000", "CNY"),
    ("新增超亿元项目", "100000000", "100000000", "CNY"),
    ("营收上亿元", "100000000", "100000000", "CNY"),
    ("营收过亿", "100000000", "100000000", "CNY"),
    ("累计达数亿元", "100000000", "1000000000", "CNY"),
    ("总投资逾3000万元", "30000000", "30000000", "CNY"),
    ("约2.5亿美元", "250000000", "250000000", "USD"),
    ("投资3~5亿元", "300000000", "500000000", "CNY"),
    ("投资10—20亿元", "1000000000", "2000000000", "CNY"),
    ("100万至200万美元", "1000000", "2000000", "USD"),
    ("近千万元", "10000000", "10000000", "CNY"),
    ("投资一千二百万元", "12000000", "12000000", "CNY"),
    ("总投资50余亿元", "5000000000", "5000000000", "CNY"),
    ("规模1.2万亿元", "1200000000000", "1200000000000", "CNY"),
    ("融资数千万美元", "10000000", "100000000", "USD"),
    ("投资3个亿", "300000000", "300000000", "CNY"),
    ("售价￥1,299.00", "1299", "1299", "CNY"),
    ("出价HK$500万", "5000000", "5000000", "HKD"),
    ("六十四万零一百四十三元一角七分", "640143.17", "640143.17", "CNY"),
    ("总投资２０亿元，", "2000000000", "2000000000", "CNY"),
    ("人民币伍角陆分", "0.56", "0.56", "CNY"),
    ("投资1万元～2万元", "10000", "20000", "CNY"),
    ("月薪1万5000元", "15000", "15000", "CNY"),
    ("补贴八千元到一万元", "8000", "10000", "CNY"),
    ("一斤3块5毛", "3.5", "3.5", "CNY"),
    ("奖励十七八万元", "170000", "180000", "CNY"),
    ("采购合同总额为1,500,000.00元(大写:壹佰伍拾万元整)", "1500000", "1500000", "CNY"),
    ("估值约新台币2亿元", "200000000", "200000000", "TWD"),
]

#: Texts whose numbers are not money.
NEGATIVES: list[str] = [
    "三元锂电池和一元化管理",
    "总建筑面积5000平方米",
    "第六元素材料科技股份有限公司",
    "2023年全区科技创新工作会议",
    "阜宁县委、县政府和112万老区人民",
    "年产减速器10万台以上",
    "打造成千亿产业集群",
    "本场比赛得了5分",
    "人口规模超1000万",
    "亿元项目18个",
    "运来2万块砖和三块钢板",
    "引进人才1万5000人",
]


def _found(text: str, low: str, high: str, currency: str) -> bool:
    want = (int(Decimal(low) * 100), int(Decimal(high) * 100), currency)
    return any((a.low_fen, a.high_fen, a.currency) == want for a in find_amounts(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss and false alarm")
    args = parser.parse_args()
    started = time.perf_counter()
    missed = [case for case in CASES if not _found(*case)]
    alarms = [(text, find_amounts(text)) for text in NEGATIVES if find_amounts(text)]
    elapsed = time.perf_counter() - started
    if args.verbose:
        for text, *_ in missed:
            found = [(a.text, a.low_fen, a.high_fen, a.currency) for a in find_amounts(text)]
            print(f"missed: {text}  ->  {found}")
        for text, amounts in alarms:
            print(f"false alarm: {text}  ->  {[a.text for a in amounts]}")
    print(f"found {len(CASES) - len(missed)}/{len(CASES)} amounts")
    print(f"false alarms {len(alarms)}/{len(NEGATIVES)} texts without money")
    print(f"{elapsed * 1000:.1f} ms")


if __name__ == "__main__":
    main()
