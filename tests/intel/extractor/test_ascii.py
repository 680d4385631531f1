"""Scraped news writes , . ; : where editors write ，。；：; the extractor reads both the same."""

from __future__ import annotations

from datetime import date

from longcheng.intel.extractor import Extractor

TEXT = (
    "今年以来，全区新签约项目12个。3月，东方日升新能源股份有限公司年产4GW高效光伏电池项目开工，"
    "总投资52.8亿元。溧阳高新区举行签约仪式。中创新航动力电池基地项目总投资120亿元，已于去年投产。"
    "2023年3月15日，中天钢铁集团与常州经开区管委会签约，总投资101亿元。"
    "东方日升新能源股份有限公司再度签约，计划投资52.8亿元。"
)


def _facts(text: str) -> list[tuple[object, ...]]:
    facts = Extractor().extract(text, published=date(2023, 6, 1))
    return [(f.amount.text, f.kind, f.event, f.org, f.project, f.date) for f in facts]


def test_ascii_punctuation_gives_the_same_facts() -> None:
    """Sentences, organisations, projects and dates come out the same with ASCII punctuation."""
    ascii_text = TEXT.translate(str.maketrans("，。；：", ",.;:"))
    assert _facts(ascii_text) == _facts(TEXT)


def test_a_round_amount_before_a_category_is_no_fact() -> None:
    """超亿元优质产业项目31个 counts projects; 超亿元 is their label, even after 外资."""
    text = "其中，优质外资项目19个、超亿元优质产业项目31个。"
    assert _facts(text) == []
