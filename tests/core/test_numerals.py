"""Chinese numerals beyond the plain ones: capitals, spoken short forms, adjacent digits and 几."""

from __future__ import annotations

from decimal import Decimal

import pytest

from longcheng.core.numerals import NumberParseError, chinese_bounds, chinese_to_decimal, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("壹仟贰佰叁拾肆", 1234),
        ("壹拾万柒仟", 107000),
        ("贰億伍仟萬", 250_000_000),
        ("參拾陸", 36),
        ("一万五", 15000),
        ("三千五", 3500),
        ("一百二", 120),
        ("一亿二", 120_000_000),
        ("一千零五", 1005),
        ("十万零五", 100005),
        ("壹万贰仟叁佰肆拾伍亿陆仟柒佰捌拾玖万零壹佰贰拾叁", 1_234_567_890_123),
    ],
)
def test_capitals_and_spoken_forms(text: str, value: int) -> None:
    """Financial and traditional capitals read like plain numerals; 一万五 is 15000 as people say it."""
    assert chinese_to_decimal(text) == value


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("七八", 7, 8),
        ("三五万", 30000, 50000),
        ("十七八", 17, 18),
        ("二三十", 20, 30),
        ("一两亿", 100_000_000, 200_000_000),
        ("一千五六百", 1500, 1600),
        ("一万七八千", 17000, 18000),
        ("二十几", 20, 30),
        ("二十几万", 200_000, 300_000),
        ("十五", 15, 15),
    ],
)
def test_adjacent_digits_and_ji_name_a_range(text: str, low: int, high: int) -> None:
    """Two adjacent digits (七八) and a trailing 几 name bounds, not the number 78."""
    assert chinese_bounds(text) == (Decimal(low), Decimal(high))


def test_parse_number_reads_capitals() -> None:
    """Form and import cells accept capitals too."""
    assert parse_number("壹佰零壹万") == 1_010_000


@pytest.mark.parametrize("text", ["1" * 40, "1" * 29 + ".5", "9" * 30 + "亿", "1" * 20 + "亿", "9" * 200])
def test_a_number_past_any_amount_is_refused_with_a_reason(text: str) -> None:
    """Numbers past 64 bits in fen get a Chinese reason and a stable code, never a crash."""
    with pytest.raises(NumberParseError) as caught:
        parse_number(text)
    assert caught.value.code_text == "number.too_large"
