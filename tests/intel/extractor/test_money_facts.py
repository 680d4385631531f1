"""Bad input for the extractor: nothing crashes, non-money numbers never become money facts."""

from __future__ import annotations

import pytest

from longcheng.intel.extractor import Extractor


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "。。。", "，", "亿元", "元"])
def test_empty_or_punctuation_only_text_gives_no_facts(extractor: Extractor, text: str) -> None:
    """Empty input is not an error; it simply holds no fact."""
    assert extractor.extract(text) == []


def test_full_width_digits_are_read_and_keep_their_offsets(extractor: Extractor) -> None:
    """１０１亿元 is 101亿元; the span points at the full-width characters as written."""
    text = "签约总投资１０１亿元的项目。"
    [fact] = extractor.extract(text)
    assert fact.amount.low_fen == 101 * 10**8 * 100
    assert text[fact.span[0] : fact.span[1]] == "１０１亿元"


def test_stray_spaces_inside_an_amount_are_tolerated(extractor: Extractor) -> None:
    """52. 8亿元 and 约 120 亿元 (PDF and web copy artefacts) read as 52.8亿 and 120亿."""
    facts = extractor.extract("计划投资52. 8亿元，总投资约 120 亿元。")
    assert [(f.amount.low_fen, f.qualifier.value) for f in facts] == [
        (528 * 10**7 * 100, "exact"),
        (120 * 10**8 * 100, "approximate"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "建设年产4GW新型高效光伏电池项目。",
        "总建筑面积5000平方米，占地12万平方米。",
        "阜宁县委、县政府和112万老区人民表示欢迎。",
        "开工建设了年出栏 5 万头生猪项目。",
        "引进各类人才超2万名，5年集聚50万人。",
        "全球新能源汽车销量达328.4万辆。",
        "2023年，开展学习交流22场次、30个项目。",
        "金坛区将12家光伏企业列为十亿企业培育对象，打造千亿产业集群。",
        "公司生产三元锂电池，推进一元化管理。",
        "常州第六元素材料科技股份有限公司。",
        "电话：0519-86637820，邮编：213022。",
    ],
)
def test_numbers_that_are_not_money_give_no_fact(extractor: Extractor, text: str) -> None:
    """Power, area, people, animals, vehicles, counts, years and phone numbers are not money."""
    assert extractor.extract(text) == []


def test_control_characters_and_odd_unicode_do_not_crash(extractor: Extractor) -> None:
    """Text with control characters, emoji and unpaired quotes is read without error."""
    text = "\x0c“总投资\u200b101亿元🙂\x07，完成投资5亿元\ufeff"
    facts = extractor.extract(text)
    assert [(f.amount.text, f.kind) for f in facts] == [("101亿元", "investment"), ("5亿元", "investment")]
