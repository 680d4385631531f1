"""The money parser and ``Money``: amounts as Chinese documents and forms write them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longcheng.core.errors import LongchengError
from longcheng.core.money import (
    CurrencyMismatch,
    Money,
    MoneyParseError,
    NumberParseError,
    ParsedAmount,
    Qualifier,
    find_amounts,
    parse_amount,
    parse_number,
)
from longcheng.core.numerals import chinese_to_decimal

YI = 100_000_000
WAN = 10_000

# surface → (low yuan, high yuan, currency, qualifier)
AMOUNTS: list[tuple[str, int, int, str, Qualifier]] = [
    ("101亿元", 101 * YI, 101 * YI, "CNY", Qualifier.EXACT),
    ("52.8亿元", 52_8000_0000, 52_8000_0000, "CNY", Qualifier.EXACT),
    ("9600余万元", 9600 * WAN, 9600 * WAN, "CNY", Qualifier.APPROXIMATE),
    ("超114亿元", 114 * YI, 114 * YI, "CNY", Qualifier.OVER),
    ("数亿元", YI, 10 * YI, "CNY", Qualifier.RANGE),
    ("数十亿元", 10 * YI, 100 * YI, "CNY", Qualifier.RANGE),
    ("几千万元", 1000 * WAN, 10000 * WAN, "CNY", Qualifier.RANGE),
    ("十几亿元", 10 * YI, 20 * YI, "CNY", Qualifier.RANGE),
    ("两千五百万元", 2500 * WAN, 2500 * WAN, "CNY", Qualifier.EXACT),
    ("一点二亿元", 12000 * WAN, 12000 * WAN, "CNY", Qualifier.EXACT),
    ("三亿五千万元", 35000 * WAN, 35000 * WAN, "CNY", Qualifier.EXACT),
    ("1亿2000万元", 12000 * WAN, 12000 * WAN, "CNY", Qualifier.EXACT),
    ("10亿美元", 10 * YI, 10 * YI, "USD", Qualifier.EXACT),
    ("3.5亿欧元", 35000 * WAN, 35000 * WAN, "EUR", Qualifier.EXACT),
    ("3000万日元", 3000 * WAN, 3000 * WAN, "JPY", Qualifier.EXACT),
    ("2亿港元", 2 * YI, 2 * YI, "HKD", Qualifier.EXACT),
    ("500万英镑", 500 * WAN, 500 * WAN, "GBP", Qualifier.EXACT),
    ("１０１亿元", 101 * YI, 101 * YI, "CNY", Qualifier.EXACT),
    ("52. 8亿元", 52_8000_0000, 52_8000_0000, "CNY", Qualifier.EXACT),
    ("约 120 亿元", 120 * YI, 120 * YI, "CNY", Qualifier.APPROXIMATE),
    ("1,234.5万元", 1234_5000, 1234_5000, "CNY", Qualifier.EXACT),
    ("34385.47万元", 3_4385_4700, 3_4385_4700, "CNY", Qualifier.EXACT),
    ("约为4.15亿元", 41500 * WAN, 41500 * WAN, "CNY", Qualifier.APPROXIMATE),
    ("近200万元", 200 * WAN, 200 * WAN, "CNY", Qualifier.APPROXIMATE),
    ("1000万左右", 1000 * WAN, 1000 * WAN, "CNY", Qualifier.APPROXIMATE),
    ("5万多元", 5 * WAN, 5 * WAN, "CNY", Qualifier.APPROXIMATE),
    ("突破千亿元", 1000 * YI, 1000 * YI, "CNY", Qualifier.OVER),
    ("上百亿元", 100 * YI, 100 * YI, "CNY", Qualifier.OVER),
    ("超过50亿元", 50 * YI, 50 * YI, "CNY", Qualifier.OVER),
    ("2亿元以上", 2 * YI, 2 * YI, "CNY", Qualifier.OVER),
    ("20万元（含）以上", 20 * WAN, 20 * WAN, "CNY", Qualifier.OVER),
    ("最高100万元", 100 * WAN, 100 * WAN, "CNY", Qualifier.UNDER),
    ("不超过5000万元", 5000 * WAN, 5000 * WAN, "CNY", Qualifier.UNDER),
    ("不足1亿元", YI, YI, "CNY", Qualifier.UNDER),
    ("3-5亿元", 3 * YI, 5 * YI, "CNY", Qualifier.RANGE),
    ("20万-200万元", 20 * WAN, 200 * WAN, "CNY", Qualifier.RANGE),
    ("1000万-1亿元", 1000 * WAN, YI, "CNY", Qualifier.RANGE),
    ("3亿至5亿元", 3 * YI, 5 * YI, "CNY", Qualifier.RANGE),
    ("4000元", 4000, 4000, "CNY", Qualifier.EXACT),
    ("1.3万亿元", 13000 * YI, 13000 * YI, "CNY", Qualifier.EXACT),
    ("5亿元人民币", 5 * YI, 5 * YI, "CNY", Qualifier.EXACT),
]


@pytest.mark.parametrize(("surface", "low", "high", "currency", "qualifier"), AMOUNTS)
def test_parse_amount_reads_the_amount(
    surface: str, low: int, high: int, currency: str, qualifier: Qualifier
) -> None:
    """Each way the press writes an amount gives its bounds in fen, its ISO currency and qualifier."""
    amount = parse_amount(surface)
    assert (amount.low_fen, amount.high_fen, amount.currency, amount.qualifier) == (
        low * 100,
        high * 100,
        currency,
        qualifier,
    )
    assert amount.text == surface.strip()


def test_point_values_and_ranges() -> None:
    """A point value has equal bounds and a value; a range has none."""
    assert parse_amount("9600余万元").value_fen == 9600 * WAN * 100
    assert parse_amount("数亿元").value_fen is None
    assert parse_amount("超114亿元").low == Money(114 * YI * 100)


def test_a_magnitude_without_currency_is_yuan() -> None:
    """``1000万`` typed as an amount is CNY; a bare number without any unit is not an amount."""
    assert parse_amount("1000万").currency == "CNY"
    with pytest.raises(MoneyParseError):
        parse_amount("123")


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "4GW", "5000平方米", "112万人", "30个", "2023年", "三元", "101亿元和5亿元"]
)
def test_parse_amount_rejects_what_is_not_one_amount(text: str) -> None:
    """Non-money and multiple amounts are refused with a stable code and a Chinese message."""
    with pytest.raises(MoneyParseError) as caught:
        parse_amount(text)
    assert caught.value.code_text == "money.unparseable"
    assert "金额" in caught.value.message_text
    assert isinstance(caught.value, LongchengError)


def _surfaces(text: str) -> list[str]:
    return [a.text for a in find_amounts(text)]


def test_find_amounts_in_running_text_keeps_offsets() -> None:
    """Amounts in a sentence are found with their offsets into the original text."""
    text = "中天钢铁集团与常州经开区管委会签约总投资101亿元的项目，年降低成本约5亿元。"
    found = find_amounts(text)
    assert [a.text for a in found] == ["101亿元", "约5亿元"]
    assert all(text[a.start : a.end] == a.text for a in found)


@pytest.mark.parametrize(
    "text",
    [
        "年产4GW新型高效光伏电池",
        "总建筑面积5000平方米",
        "阜宁县委、县政府和112万老区人民",
        "引进各类人才超2万名",
        "开展学习交流30个批次",
        "2023年全区科技创新工作会议",
        "年产减速器10万台以上",
        "三元锂电池和一元化管理",
        "第六元素材料科技股份有限公司",
        "打造成千亿产业集群",
        "全市上下拥有各类工业企业5万多家",
        "1-4月份",
    ],
)
def test_find_amounts_ignores_numbers_that_are_not_money(text: str) -> None:
    """Power, area, people, counts, years and cluster labels are not money."""
    assert find_amounts(text) == []


def test_find_amounts_accepts_bare_amounts_beside_a_money_word() -> None:
    """``投资20亿`` and ``市值超1000亿`` are money; ``1000万左右的研发费奖励`` too."""
    assert _surfaces("金口岸中药项目投资20亿，股票市值超1000亿，") == ["20亿", "超1000亿"]
    assert _surfaces("有的企业最多可享受1000万左右的研发费奖励") == ["1000万左右"]


def test_find_amounts_handles_full_width_digits_and_stray_spaces() -> None:
    """``１０１亿元`` and ``52. 8亿元`` are read; offsets still point at the original characters."""
    text = "签约总投资１０１亿元，计划投资52. 8亿元"
    found = find_amounts(text)
    assert [(a.text, a.low_fen) for a in found] == [
        ("１０１亿元", 101 * YI * 100),
        ("52. 8亿元", 528 * YI * 10),
    ]


def test_a_range_whose_second_number_is_no_amount_keeps_the_first() -> None:
    """``2亿元到2025年`` is the amount 2亿元, not a range."""
    [amount] = find_amounts("投资2亿元到2025年")
    assert (amount.text, amount.qualifier) == ("2亿元", Qualifier.EXACT)


def test_parsed_amount_is_plain_data() -> None:
    """A found amount is a frozen value object that compares by content."""
    a = ParsedAmount(100, 100, "CNY", Qualifier.EXACT, "1元", 0, 2)
    assert a == ParsedAmount(100, 100, "CNY", Qualifier.EXACT, "1元", 0, 2)
    assert hash(a) == hash(ParsedAmount(100, 100, "CNY", Qualifier.EXACT, "1元", 0, 2))


NUMBERS: list[tuple[str, Decimal]] = [
    ("1,234.5万", Decimal(12345000)),
    ("一亿", Decimal(100000000)),
    ("12,345", Decimal(12345)),
    ("１２３", Decimal(123)),
    ("  42 ", Decimal(42)),
    ("1.5", Decimal("1.5")),
    ("-5", Decimal(-5)),
    ("两千五百万", Decimal(25000000)),
    ("一点二亿", Decimal(120000000)),
    ("3.5亿", Decimal(350000000)),
    ("零", Decimal(0)),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_parse_number_reads_form_input(text: str, value: Decimal) -> None:
    """Form and import cells accept separators, 万/亿, Chinese numerals and full-width digits."""
    assert parse_number(text) == value


def test_parse_number_refuses_scientific_notation() -> None:
    """``1.2e8`` is refused with its own code and a message that shows the accepted forms."""
    with pytest.raises(NumberParseError) as caught:
        parse_number("1.2e8")
    assert caught.value.code_text == "number.scientific_notation"
    assert "科学计数法" in caught.value.message_text


@pytest.mark.parametrize("text", ["", "abc", "1,23", "12..5", "1.2.3", "五元", "1亿2"])
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    """Anything else is refused as ``number.unparseable``; it is also a ValueError."""
    with pytest.raises(NumberParseError) as caught:
        parse_number(text)
    assert caught.value.code_text == "number.unparseable"
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("value", [*range(0, 120), 1001, 2500, 10010, 99999, 100000, 1234567, 100000001])
def test_chinese_numerals_agree_with_cn2an(value: int) -> None:
    """Our Chinese numeral reader gives what cn2an gives for the numerals both understand."""
    assert chinese_to_decimal(cn2an.an2cn(value)) == value


def test_money_from_yuan_is_exact() -> None:
    """Decimal strings convert exactly; a third decimal needs an explicit rounding mode."""
    assert Money.from_yuan("1234.5").fen == 123450
    assert Money.from_yuan(Decimal("0.01"), "USD") == Money(1, "USD")
    with pytest.raises(MoneyParseError):
        Money.from_yuan("1.234")
    assert Money.from_yuan("1.235", rounding=ROUND_HALF_UP).fen == 124
    with pytest.raises(MoneyParseError):
        Money.from_yuan("abc")
    with pytest.raises(TypeError):
        Money.from_yuan(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(101 * YI * 100), "101亿元"),
        (Money(528 * YI * 10), "52.8亿元"),
        (Money(9600 * WAN * 100), "9600万元"),
        (Money(123450), "1,234.50元"),
        (Money(1234567), "12,345.67元"),
        (Money(10 * YI * 100, "USD"), "10亿美元"),
        (Money(-500), "-5.00元"),
    ],
)
def test_money_is_shown_as_a_chinese_reader_expects(money: Money, shown: str) -> None:
    """``str(Money)`` uses 亿/万 when exact, otherwise two decimals with separators."""
    assert str(money) == shown


def test_money_arithmetic_stays_in_one_currency() -> None:
    """Sums and comparisons work within a currency and refuse to mix currencies."""
    assert Money(100) + Money(50) == Money(150)
    assert Money(100) - Money(150) == Money(-50)
    assert Money(100) * 3 == Money(300)
    assert Money(100) < Money(200)
    with pytest.raises(CurrencyMismatch):
        _ = Money(100) + Money(100, "USD")
    with pytest.raises(CurrencyMismatch):
        _ = Money(100) < Money(100, "USD")


def test_money_rejects_bad_currency_codes_and_float_fen() -> None:
    """Currency is a three-letter ISO code and fen an int."""
    with pytest.raises(MoneyParseError):
        Money(1, "yuan")
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1" * 100_000 + "元", "一" * 100_000 + "万元", "1," * 50_000 + "元"])
def test_absurdly_long_numbers_are_not_amounts(text: str) -> None:
    """A run of digits or numerals far beyond any budget is refused instead of crashing."""
    assert find_amounts(text) == []


# Issue #16 item 25: classes the parser missed. (text, low yuan, high yuan, currency, qualifier)
MORE: list[tuple[str, int, int, str, Qualifier]] = [
    ("一万五千元", 15000, 15000, "CNY", Qualifier.EXACT),
    ("六十四万零一百四十三元", 640143, 640143, "CNY", Qualifier.EXACT),
    ("三到五万元", 3 * WAN, 5 * WAN, "CNY", Qualifier.RANGE),
    ("三到五千万元", 3000 * WAN, 5000 * WAN, "CNY", Qualifier.RANGE),
    ("十到二十万元", 10 * WAN, 20 * WAN, "CNY", Qualifier.RANGE),
    ("七八亿元", 7 * YI, 8 * YI, "CNY", Qualifier.RANGE),
    ("二三十亿元", 20 * YI, 30 * YI, "CNY", Qualifier.RANGE),
    ("二十几万元", 20 * WAN, 30 * WAN, "CNY", Qualifier.RANGE),
    ("1万元～2万元", WAN, 2 * WAN, "CNY", Qualifier.RANGE),
    ("2000多美元", 2000, 2000, "USD", Qualifier.APPROXIMATE),
    ("10来万元", 10 * WAN, 10 * WAN, "CNY", Qualifier.APPROXIMATE),
    ("1,234，567元", 1234567, 1234567, "CNY", Qualifier.EXACT),
    ("1，234，567元", 1234567, 1234567, "CNY", Qualifier.EXACT),
    ("超亿元", YI, YI, "CNY", Qualifier.OVER),
    ("上亿元", YI, YI, "CNY", Qualifier.OVER),
    ("过亿", YI, YI, "CNY", Qualifier.OVER),
    ("近万元", WAN, WAN, "CNY", Qualifier.APPROXIMATE),
    ("3个亿", 3 * YI, 3 * YI, "CNY", Qualifier.EXACT),
    ("1万5000元", 15000, 15000, "CNY", Qualifier.EXACT),
    ("1万5千元", 15000, 15000, "CNY", Qualifier.EXACT),
    ("八千元到一万元", 8000, WAN, "CNY", Qualifier.RANGE),
    ("八千到一万元", 8000, WAN, "CNY", Qualifier.RANGE),
    ("300块", 300, 300, "CNY", Qualifier.EXACT),
]


@pytest.mark.parametrize(("surface", "low", "high", "currency", "qualifier"), MORE)
def test_parse_amount_reads_more_forms(
    surface: str, low: int, high: int, currency: str, qualifier: Qualifier
) -> None:
    """Whole Chinese numerals, ranges of adjacent numerals, 几, 来, mixed digit groups, 超亿元, 3个亿."""
    amount = parse_amount(surface)
    assert (amount.low_fen, amount.high_fen, amount.currency, amount.qualifier) == (
        low * 100,
        high * 100,
        currency,
        qualifier,
    )


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12元5角", 1250),
        ("3元2角5分", 325),
        ("0元5角2分", 52),
        ("一千二百三十四元五角", 123450),
        ("3块5毛", 350),
        ("两块五", 250),
        ("五毛钱", 50),
    ],
)
def test_jiao_and_fen_follow_the_yuan(text: str, fen: int) -> None:
    """角 and 分 after 元 add tenths and hundredths."""
    assert parse_amount(text).low_fen == fen


@pytest.mark.parametrize("mark", [",", ".", "，", "。", " ", "、", ";"])
def test_punctuation_before_the_digits_does_not_hide_the_amount(mark: str) -> None:
    """``项目,10亿元`` finds 10亿元 as ``项目，10亿元`` does: scraped news uses ASCII punctuation."""
    text = f"签约重大项目{mark}10亿元的基地落户"
    [amount] = find_amounts(text)
    assert (amount.text, amount.low_fen, amount.start) == ("10亿元", 10 * YI * 100, 7)


def test_a_single_full_width_comma_separates_clauses() -> None:
    """``第3，120亿元`` is two clauses: 120亿元, not 3120亿元; ``1,234`` and ``52.8`` stay whole."""
    assert _surfaces("名列第3，总投资120亿元") == ["120亿元"]
    assert _surfaces("排名第3，120亿元") == ["120亿元"]
    assert [a.low_fen for a in find_amounts("投资1,234万元和52.8亿元")] == [1234 * WAN * 100, 528 * YI * 10]


@pytest.mark.parametrize(
    "text", ["全年销售额突破5亿", "公司增资3亿", "完成融资1.5亿", "营收达12.5亿", "募集资金8000万"]
)
def test_bare_amounts_beside_more_money_words(text: str) -> None:
    """亿 or 万 without 元 is money after 销售额, 增资, 融资, 营收, 募集 …"""
    assert len(find_amounts(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "亿元项目18个",
        "人口规模超1000万",
        "本场比赛得了5分",
        "二〇二三元旦",
        "一二三四五六万元",
        "上5000万人",
        "2万块砖",
        "三块钢板",
        "1万5000人",
    ],
)
def test_new_forms_do_not_invent_amounts(text: str) -> None:
    """A bare 亿元 is a word, 5分 a score, digit-by-digit numerals are no sums."""
    assert find_amounts(text) == []


_ALPHABET = (
    "0123456789,.，。 -~至到约超上过亿万千百十元块毛角分整美港币人民新台"
    "零一二三四五六七八九壹贰叁拾佰仟萬億圓几数多余个"
)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_any_text_gives_amounts_or_none_never_an_error(text: str) -> None:
    """Whatever the text, ``find_amounts`` answers with well-formed amounts, and ``parse_amount``
    with an amount or ``MoneyParseError`` (a crash would be a 500 on every form with money)."""
    for amount in find_amounts(text):
        assert 0 <= amount.low_fen <= amount.high_fen
        assert text[amount.start : amount.end] == amount.text
    try:
        parse_amount(text)
    except MoneyParseError:
        pass
