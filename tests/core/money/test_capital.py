"""Financial capitals (大写金额): written by ``to_capital`` as banks require, and read back by the parser."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from longcheng.core.money import MoneyParseError, Qualifier, find_amounts, parse_amount, to_capital
from longcheng.core.money.capital import CAPITAL_LIMIT

YUAN = 100


@pytest.mark.parametrize(
    ("fen", "capital"),
    [
        (1_010_000 * YUAN, "人民币壹佰零壹万元整"),
        (0, "人民币零元整"),
        (15 * YUAN, "人民币壹拾伍元整"),
        (1409_50, "人民币壹仟肆佰零玖元伍角"),
        (6007_14, "人民币陆仟零柒元壹角肆分"),
        (1680_32, "人民币壹仟陆佰捌拾元零叁角贰分"),
        (107000_53, "人民币壹拾万柒仟元零伍角叁分"),
        (16409_02, "人民币壹万陆仟肆佰零玖元零贰分"),
        (325_04, "人民币叁佰贰拾伍元零肆分"),
        (56, "人民币伍角陆分"),
        (6, "人民币陆分"),
        (1_000_100 * YUAN, "人民币壹佰万零壹佰元整"),
        (100_000_001 * YUAN, "人民币壹亿零壹元整"),
        (101_000_000 * YUAN, "人民币壹亿零壹佰万元整"),
        (123_456_789_012 * YUAN, "人民币壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元整"),
    ],
)
def test_to_capital_follows_the_bank_rules(fen: int, capital: str) -> None:
    """Every 拾 has its digit; one 零 per run of zeros; 整 after 元; 零 before 角 when 元's digit is 0."""
    assert to_capital(fen) == capital


def test_to_capital_without_prefix() -> None:
    """The 人民币 prefix can be left out (an exchange form has its own currency column)."""
    assert to_capital(300 * 10_000 * YUAN, prefix="") == "叁佰万元整"


def test_to_capital_refuses_negative_and_huge_amounts() -> None:
    """A bill states no negative sum; beyond 1亿亿 yuan the units run out. Both are clear errors."""
    with pytest.raises(MoneyParseError) as caught:
        to_capital(-1)
    assert caught.value.code_text == "money.negative_capital"
    assert "负数" in caught.value.message_text
    with pytest.raises(MoneyParseError):
        to_capital(CAPITAL_LIMIT)
    with pytest.raises(TypeError):
        to_capital(1.5)  # type: ignore[arg-type]


@settings(max_examples=1500, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=CAPITAL_LIMIT - 1))
@example(10**16)
@example(10**16 - 1)
@example(1)
def test_capital_amounts_read_back_exactly(fen: int) -> None:
    """parse(大写(x)) == x for every amount, exactly, with and without the prefix."""
    amount = parse_amount(to_capital(fen))
    assert (amount.low_fen, amount.high_fen, amount.currency) == (fen, fen, "CNY")
    assert amount.qualifier is Qualifier.EXACT
    assert parse_amount(to_capital(fen, prefix="")).low_fen == fen


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=10**16))
def test_capital_amounts_are_found_in_running_text(fen: int) -> None:
    """A capital amount inside a sentence is found whole, with its offsets."""
    capital = to_capital(fen)
    text = f"合同总价为{capital}，签字生效。"
    [amount] = find_amounts(text)
    assert (amount.low_fen, amount.text, amount.start) == (fen, capital, 5)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.integers(min_value=0, max_value=10**16))
def test_traditional_capitals_read_the_same(fen: int) -> None:
    """萬, 億, 圓, 貳, 參, 陸 are read as 万, 亿, 元, 贰, 叁, 陆."""
    capital = to_capital(fen).translate(str.maketrans("万亿元贰叁陆", "萬億圓貳參陸"))
    assert parse_amount(capital).low_fen == fen


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("叁佰万元整", 300 * 10_000 * YUAN),
        ("壹仟贰佰叁拾肆元伍角陆分", 1234_56),
        ("贰億伍仟萬圓", 250_000_000 * YUAN),
        ("伍拾萬圓整", 500_000 * YUAN),
        ("壹拾万零柒仟元伍角叁分", 107000_53),
        ("人民币壹仟陆佰捌拾元叁角贰分", 1680_32),
        ("叁元", 3 * YUAN),
        ("捌分", 8),
        ("人民币伍角整", 50),
    ],
)
def test_the_optional_forms_of_capitals_are_read(text: str, fen: int) -> None:
    """The forms the rules allow besides the canonical one (零 left out, 整 after 角, 圓) read the same."""
    assert parse_amount(text).low_fen == fen
