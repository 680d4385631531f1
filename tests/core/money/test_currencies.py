"""Currencies after the number, before it, and as symbols or ISO codes."""

from __future__ import annotations

import pytest

from longcheng.core.money import Money, find_amounts, parse_amount

YI = 100_000_000
WAN = 10_000


@pytest.mark.parametrize(
    ("text", "yuan", "currency"),
    [
        ("300万新台币", 300 * WAN, "TWD"),
        ("5000台币", 5000, "TWD"),
        ("500万泰铢", 500 * WAN, "THB"),
        ("2000万卢布", 2000 * WAN, "RUB"),
        ("300亿韩元", 300 * YI, "KRW"),
        ("10亿日元", 10 * YI, "JPY"),
        ("200万英镑", 200 * WAN, "GBP"),
        ("5000万澳元", 5000 * WAN, "AUD"),
        ("3亿加元", 3 * YI, "CAD"),
        ("1亿新加坡元", YI, "SGD"),
        ("2000万瑞士法郎", 2000 * WAN, "CHF"),
        ("100万澳门元", 100 * WAN, "MOP"),
        ("港币三千元", 3000, "HKD"),
        ("人民币5000万元", 5000 * WAN, "CNY"),
        ("美金200万", 200 * WAN, "USD"),
        ("欧元3000万", 3000 * WAN, "EUR"),
        ("新台币300万元", 300 * WAN, "TWD"),
        ("新台幣貳億伍仟萬圓", 25000 * WAN, "TWD"),
        ("￥1,299", 1299, "CNY"),
        ("HK$500万", 500 * WAN, "HKD"),
        ("US$ 2亿", 2 * YI, "USD"),
        ("RMB 5000万元", 5000 * WAN, "CNY"),
        ("人民币：伍拾万元整", 50 * WAN, "CNY"),
        ("三千块钱", 3000, "CNY"),
    ],
)
def test_currency_after_or_before_the_number(text: str, yuan: int, currency: str) -> None:
    """A currency word, symbol or code before the number counts; a generic 元 takes it over."""
    amount = parse_amount(text)
    assert (amount.low_fen, amount.currency, amount.text) == (yuan * 100, currency, text)


def test_a_currency_before_and_a_qualifier_in_either_order() -> None:
    """人民币约5000万元 and 约人民币5000万元 are the same approximate amount."""
    for text in ("人民币约5000万元", "约人民币5000万元"):
        amount = parse_amount(text)
        assert (amount.low_fen, amount.qualifier.value) == (5000 * WAN * 100, "approximate")


def test_a_currency_word_before_a_year_is_no_amount() -> None:
    """人民币2023年升值: a currency word before a bare number followed by a word is not money."""
    assert find_amounts("人民币2023年升值") == []


def test_new_currencies_print_with_their_chinese_name() -> None:
    """``str(Money)`` names the new currencies in Chinese."""
    assert str(Money(3 * YI * 100, "THB")) == "3亿泰铢"
    assert str(Money(YI * 100, "TWD")) == "1亿新台币"
