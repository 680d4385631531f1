"""The extractor: money facts with kind, event, project, organisation, place and date."""

from __future__ import annotations

from datetime import date

import pytest

from longcheng.core.money import Qualifier
from longcheng.intel.extractor import Extractor, Fact, fact_to_json

SIGNING = "中天钢铁集团近日与常州经开区管委会成功签约总投资101亿元的绿色循环减量提升项目。"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def one(extractor: Extractor, text: str, published: date | None = None) -> Fact:
    facts = extractor.extract(text, published)
    assert len(facts) == 1, facts
    return facts[0]


def test_a_signing_becomes_one_investment_fact_with_its_context(extractor: Extractor) -> None:
    """The headline sentence gives value, kind, event, cue, project, organisations and place."""
    fact = one(extractor, SIGNING)
    assert (fact.amount.low_fen, fact.currency, fact.qualifier) == (101 * 10**8 * 100, "CNY", Qualifier.EXACT)
    assert (fact.kind, fact.event, fact.planned) == ("investment", "signed", False)
    assert fact.cue == "签约总投资101亿元"
    assert fact.project == "绿色循环减量提升项目"
    assert fact.orgs == ("中天钢铁集团", "常州经开区管委会")
    assert (fact.place, fact.place_name) == ("cz_etdz", "常州经开区")
    assert SIGNING[fact.span[0] : fact.span[1]] == "101亿元"
    assert fact.sentence_span == (0, len(SIGNING))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("截至6月底，完成投资17.17亿元。", "investment"),
        ("东方日升与金坛再度签约：计划投资52.8亿元。", "investment"),
        ("实际利用外资38.82亿美元。", "investment"),
        ("主导产业实现产值1549.2亿元。", "output"),
        ("去年，小镇实现营业收入超过50亿元。", "output"),
        ("预计可形成8亿元开票销售。", "output"),
        ("2017年，市级农业项目补助资金达9600余万元。", "funding"),
        ("1月—6月新增贷款7911万元。", "funding"),
        ("对离岸创新中心给予最高100万元支持。", "funding"),
        ("中航锂电注册资本128亿元。", "other"),
        ("股票市值超1000亿。", "other"),
        ("全年合同金额达1.87亿元。", "other"),
        ("瑞声光电以5.3亿元研发投入名列榜首。", "other"),
    ],
)
def test_the_kind_comes_from_the_nearest_cue(extractor: Extractor, text: str, kind: str) -> None:
    """Investment, output, funding and other are told apart by the words around the amount."""
    assert one(extractor, text).kind == kind


@pytest.mark.parametrize(
    ("text", "event"),
    [
        (SIGNING, "signed"),
        ("总投资超百亿元的动力电池产业化项目（二期）在溧阳高新区开工奠基。", "started"),
        ("本次集中竣工的38个重大项目，总投资超114亿元。", "completed"),
        ("该基地一期项目总投资20亿元，已于去年投产。", "producing"),
        ("协议投资150亿元的光伏电池项目已在建。", "building"),
        ("1-4月份完成投资6.5亿元。", "invested"),
        ("项目总投资约120亿元，将建设多条生产线，预计2024年建成。", None),
        ("区重点项目预计开工在建170个，完成投资200亿元。", None),
        ("全区36家企业实现销售收入245亿元。", None),
    ],
)
def test_the_stage_event_is_reported_and_plans_are_not_events(
    extractor: Extractor, text: str, event: str | None
) -> None:
    """签约/开工/竣工/投产/在建/完成投资 are events; 预计…建成 and 预计开工 are plans."""
    assert one(extractor, text).event == event


def test_after_reaching_capacity_is_a_plan(extractor: Extractor) -> None:
    """In "竣工…总投资4亿元，达产后…年新增销售收入15亿元" only the investment is a completed fact."""
    text = "本次竣工的数控加工中心，总投资4亿元，达产后将形成1800台产能，年新增销售收入15亿元。"
    investment, sales = extractor.extract(text)
    assert (investment.kind, investment.event, investment.planned) == ("investment", "completed", False)
    assert (sales.kind, sales.event, sales.planned) == ("output", None, True)


def test_a_sentence_opening_with_among_them_keeps_the_event_before(extractor: Extractor) -> None:
    """其中… lists parts of what the previous sentence reported (here: signed projects)."""
    text = (
        "共计签约30个项目，总投资162.7亿元。"
        "其中，制造业项目19个，总投资138亿元；服务业项目5个，总投资23.1亿元。"
    )
    assert [f.event for f in extractor.extract(text)] == ["signed", "signed", "signed"]


def test_category_labels_are_not_facts(extractor: Extractor) -> None:
    """ "百亿元项目" and "千亿元级产业集群" name a class of things, not an amount of money."""
    text = (
        "这是6年来在我市投下的第5个百亿元项目；整车已经成为千亿元级产业集群，"
        "集聚一批年销售10亿元以上光伏领军企业。"
    )
    assert extractor.extract(text) == []


def test_dates_resolve_against_the_publication_date(extractor: Extractor) -> None:
    """去年12月, 今年一季度, 1-4月份 and 截至6月底 become ISO dates or month ranges."""
    published = date(2023, 7, 20)
    text = (
        "去年12月签约总投资10亿元。今年一季度完成投资2亿元。"
        "1-4月份完成投资6.5亿元。截至6月底，完成投资17.17亿元。"
    )
    assert [f.date for f in extractor.extract(text, published)] == [
        "2022-12",
        "2023-01/2023-03",
        "2023-01/2023-04",
        "2023-06",
    ]
    assert extractor.extract("2023年3月15日开工，总投资5亿元。")[0].date == "2023-03-15"
    assert extractor.extract("去年12月签约总投资10亿元。")[0].date is None


def test_known_organisations_are_found_without_a_suffix(extractor: Extractor) -> None:
    """Names from the registry (中创新航, 理想汽车) are organisations even without 集团/有限公司."""
    text = "中创新航在溧阳高新区开工，总投资约120亿元。"
    assert one(extractor, text).orgs == ()
    known = Extractor(known_orgs=["中创新航", "理想汽车"])
    fact = one(known, text)
    assert (fact.org, fact.place) == ("中创新航", "ly_hitech")


def test_the_most_specific_place_wins(extractor: Extractor) -> None:
    """A park beats its district, a district beats the city; aliases normalise to one code."""
    assert one(extractor, "常州武进国家高新区完成投资5亿元。").place == "wj_hitech"
    assert one(extractor, "武进区完成投资5亿元。").place == "wujin"
    assert one(extractor, "常州高新区完成投资5亿元。").place == "cz_hitech"
    assert one(extractor, "常州市完成投资5亿元。").place == "changzhou"


def test_json_record_has_the_documented_keys(extractor: Extractor) -> None:
    """Point values are a string of yuan; ranges give low and high instead."""
    record = fact_to_json(one(extractor, SIGNING), "a.txt")
    assert record["doc"] == "a.txt"
    assert record["value"] == "10100000000"
    keys = {"kind", "currency", "qualifier", "event", "span", "cue", "project", "org", "place", "date"}
    assert keys <= set(record)
    ranged = fact_to_json(one(extractor, "项目合同经费累计达数亿元。"), "b.txt")
    assert (ranged["low"], ranged["high"], ranged["qualifier"]) == ("100000000", "1000000000", "range")
    assert "value" not in ranged


def test_sentences_broken_across_lines_are_joined(extractor: Extractor) -> None:
    """A line wrapped in the middle of a sentence does not cut the amount off its event."""
    text = "目前，亿晶光电协议投资150亿元年产25GW\n\n高效光伏电池及组件项目已在建。"
    fact = one(extractor, text)
    assert fact.event == "building"
    assert fact.sentence_span == (0, len(text))


def test_project_names_keep_their_phase(extractor: Extractor) -> None:
    """ "…常州基地二期项目" is one project name, not "…常州基地"."""
    fact = one(extractor, "总投资50亿元的理想汽车常州基地二期项目日前在武进国家高新区开工建设。")
    assert (fact.project, fact.event, fact.place) == ("理想汽车常州基地二期项目", "started", "wj_hitech")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("公司完成B轮融资，融资金额达数亿元。", "funding"),
        ("获得银行授信5亿元。", "funding"),
        ("今年前三季度，全市完成固定资产投资1234.5亿元。", "investment"),
        ("项目建成投产后，利税5亿元。", "other"),
    ],
)
def test_compound_cues_beat_their_generic_head(extractor: Extractor, text: str, kind: str) -> None:
    """融资金额 is funding although 金额 alone is other; 授信 is funding."""
    assert one(extractor, text).kind == kind


@pytest.mark.parametrize(
    ("text", "aggregate"),
    [
        ("溧阳市今年以来新签约储能项目27个，协议总投资88亿元。", True),
        ("本次集中开工的21个重大项目总投资超90亿元。", True),
        ("市级重点项目计划开工在建96个，完成投资80亿元。", True),
        ("截至目前，全区累计完成投资56亿元。", True),
        ("三个园区合计协议投资42亿元。", True),
        ("龙城光电科技有限公司与金坛区签约，协议投资36亿元建设氢能电解槽项目。", False),
        ("该项目总投资10亿元，是今年全区签约的第12个项目。", False),
        ("项目总投资8亿元，投产后新增就业岗位300个。", False),
    ],
)
def test_a_total_of_many_projects_is_marked_aggregate(
    extractor: Extractor, text: str, aggregate: bool
) -> None:
    """N个项目, 项目N个, 累计 and 合计 make the amount a total; ordinals and jobs do not."""
    assert one(extractor, text).aggregate is aggregate


def test_aggregate_is_per_segment(extractor: Extractor) -> None:
    """A count in one ``；`` segment does not make the project of the next segment a total."""
    facts = extractor.extract("全区新签约项目18个，总投资95亿元；其中，滆湖新材料项目总投资12亿元。")
    assert [(f.amount.text, f.aggregate) for f in facts] == [("95亿元", True), ("12亿元", False)]
    assert fact_to_json(facts[0], "x")["aggregate"] is True


@pytest.mark.parametrize(
    ("text", "project"),
    [
        ("龙城光电科技有限公司与金坛区签约，协议投资36亿元建设氢能电解槽项目。", "氢能电解槽项目"),
        ("芙蓉新材料集团与新北区签约，投资9800万元新建碳纤维预浸料项目。", "碳纤维预浸料项目"),
    ],
)
def test_a_project_name_does_not_swallow_the_amount(extractor: Extractor, text: str, project: str) -> None:
    """ "协议投资36亿元建设…项目" names the project after the amount, not from the cue on."""
    assert one(extractor, text).project == project
