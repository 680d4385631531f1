"""The words that say what an amount is (kind), what happened (event) and what is only planned.

Kinds:

* ``investment`` — money put into a project or a firm: 总投资, 计划投资, 协议投资, 完成投资, 投资额,
  利用外资, 出资, 投入 …
* ``output`` — what firms, parks or industries produce or sell: 产值, 营业收入, 销售收入, 营收,
  销售额, 开票销售, 产业规模, 生产总值 …
* ``funding`` — money given or lent to firms and projects: 补助, 补贴, 奖励, 资金, 贷款, 融资,
  基金, 支持 …
* ``other`` — everything else that is money: 注册资本, 市值, 总资产, 合同金额, 成交额, 税收,
  利税, 成本, 研发投入, 原值 …

The cue nearest to the amount decides; a longer cue wins over a shorter one at the same place
(研发投入 over 投入, 资产规模 over 规模, 融资金额 over 金额).
"""

from __future__ import annotations

import re

_INVESTMENT = """总投资 计划总投资 计划投资 协议投资 完成投资 投资总额 投资额 投资 利用外资 引进外资 外资
    注资 出资 增资 投入 社会资本 固定资产投资 投资金额"""
_OUTPUT = """产值 总产值 工业总产值 营业收入 营业总收入 主营业务收入 销售收入 营收 销售额 销售 开票销售
    应税销售 开票 收入 产业规模 规模 生产总值 GDP 增加值 出口额 进出口额 营业额"""
_FUNDING = """补助 补贴 奖励 奖补 资金 贷款 融资 基金 基金规模 经费 扶持 资助 支持 配套 专项资金
    财政投入 贴息 拨付 科创资金 授信 融资金额 贷款金额 补贴金额 补助金额 奖励金额 资助金额"""
_OTHER = """注册资本 市值 总资产 资产规模 总资产规模 资产 合同金额 合同经费 合同额 合同 合作金额
    成交额 交易额 交易融资额 税收 利税 利润 净利润 成本 研发投入 研发费用 研发费 价值 原值 效益
    直采 采购 金额"""

KIND_CUES: dict[str, str] = {
    word: kind
    for kind, words in (
        ("investment", _INVESTMENT),
        ("output", _OUTPUT),
        ("funding", _FUNDING),
        ("other", _OTHER),
    )
    for word in words.split()
}

KIND_RE = re.compile("|".join(sorted(map(re.escape, KIND_CUES), key=len, reverse=True)))

#: Stage events and the words that report them.
EVENT_WORDS: dict[str, str] = {
    **dict.fromkeys(("签约", "签署", "落户"), "signed"),
    **dict.fromkeys(("开工", "奠基", "动工", "开建"), "started"),
    **dict.fromkeys(("竣工", "建成"), "completed"),
    **dict.fromkeys(("投产", "投运", "投用"), "producing"),
    "在建": "building",
    **dict.fromkeys(("在建及拟建", "在建和拟建"), "building"),
    "完成投资": "invested",
}
EVENT_RE = re.compile("|".join(sorted(EVENT_WORDS, key=len, reverse=True)))

#: Words after which an event or an amount is only a plan or a forecast ("预计2024年建成",
#: "力争…突破", "达产后…"). 计划 counts as a verb only: not in a programme's name (龙城英才计划”)
#: and not in 计划投资, which names a project's planned amount without making its signing a plan.
PLAN_RE = re.compile(
    r"预计|计划(?![”\"》」）)，。；、项]|总?投资)|(?<![模虚])拟|力争|争取|有望|将(?!近)|未来|(?:达产|建成|投产|竣工)后"
)
#: In the amount's own clause, 计划投资/计划总投资 make the amount a plan.
PLANNED_AMOUNT_RE = re.compile(r"计划总?投资")

#: A clause that goes on with the subject of the one before ("…，已于去年投产", "…，目前已开工").
CONTINUATION_RE = re.compile(r"\s*(?:已|并|均|现已|目前已|目前|已经|正式|于)")

#: An amount that only labels a category ("百亿元项目", "千亿元级产业集群", "10亿元以上光伏领军企业").
DESCRIPTOR_RE = re.compile(r"级?(?:(?!的)[\u4e00-\u9fff]){0,8}?(?:项目|企业|集群)")

#: A sentence segment that reports many projects or firms at once ("新签约项目34个，协议总投资…",
#: "38个重大项目总投资…", "重点项目预计开工在建170个", "累计完成投资…", "合计…"): its amounts are
#: totals, never one project's. Ordinals (第12个项目) and jobs (新增就业岗位300个) are not counts.
_COUNT = r"(?<![第\d一二三四五六七八九十百千两几数多])(?:[\d一二三四五六七八九十百千两几数多]+|数十|上百)"
_GAP = r"(?:(?!岗位|就业|人才)[^，,；;。\d]){0,6}?"
AGGREGATE_RE = re.compile(
    rf"{_COUNT}(?:个|项|批|家)[^，,；;。]{{0,10}}?(?:项目|企业)"
    rf"|(?:项目|企业){_GAP}{_COUNT}(?:个|项|家)"
    r"|一批|累计|合计|共计|总计"
)
