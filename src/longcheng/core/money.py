"""Money: integer fen (分) plus an ISO currency, and the parser for amounts as Chinese texts write them.

Every module stores money as ``Money(fen, currency)``; nothing uses float. The parser reads
``101亿元``, ``52.8亿元``, ``9600余万元``, ``超114亿元``, ``数亿元``, ``两千五百万元``, ``10亿美元``,
``3.5亿欧元``, ``3-5亿元``, full-width digits (``１０１亿元``) and stray spaces (``52. 8亿元``).

Qualifiers (``Qualifier``), and the conventions behind them:

* ``exact`` — a plain amount (``达``/``高达`` do not change that).
* ``approximate`` — 约, 大约, 近, 将近, 接近, 左右, 上下, 余, 多. ``近`` (close to) is read as
  approximate, not as an upper bound: the press writes 近100亿元 both for 98亿 and for "about
  100亿". ``9600余万元`` keeps the point value 96,000,000 yuan.
* ``over`` — a lower bound: 超, 超过, 逾, 突破, 以上, 至少, 高于, 上百/上千 (``超114亿元``).
* ``under`` — an upper bound: 不足, 不到, 不超过, 低于, 以下, 以内, 最高, 最多 (``最高100万元``).
* ``range`` — two bounds: ``3-5亿元`` (3亿–5亿), ``20万-200万元``, and vague numerals, read
  as the decade they name: 数/几/若干 × unit → [1, 10] × unit (``数亿元`` → 1亿–10亿),
  数十/几十 → [10, 100], 数百/几百 → [100, 1000], 数千/几千 → [1000, 10000], 十几/十数 → [10, 20].

A point value has ``low_fen == high_fen``; ``value_fen`` is ``None`` only for a range.
An amount with a unit of magnitude but no currency (``投资20亿``) is CNY; ``find_amounts``
reports it only when a money word stands next to it, so ``112万人`` or ``5000平方米`` are not money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from longcheng.core.errors import LongchengError
from longcheng.core.numerals import (
    MAGNITUDES,
    VAGUE_RANGES,
    NumberParseError,
    chinese_to_decimal,
    number_pattern,
    parse_number,
    to_halfwidth,
)

__all__ = [
    "CurrencyMismatch",
    "Money",
    "MoneyParseError",
    "NumberParseError",
    "ParsedAmount",
    "Qualifier",
    "find_amounts",
    "parse_amount",
    "parse_number",
]

#: Currency words and their ISO 4217 codes; the first word of each code is its name in ``str(Money)``.
CURRENCIES: dict[str, str] = {
    "元": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD", "英镑": "GBP",
    "韩元": "KRW", "澳元": "AUD", "加元": "CAD", "新加坡元": "SGD", "瑞士法郎": "CHF", "卢布": "RUB",
    "人民币元": "CNY", "元人民币": "CNY", "人民币": "CNY", "美金": "USD", "港币": "HKD",
}  # fmt: skip
CURRENCY_NAMES: dict[str, str] = {}
for _word, _code in CURRENCIES.items():
    CURRENCY_NAMES.setdefault(_code, _word)

_CURRENCY = "|".join(sorted(CURRENCIES, key=len, reverse=True))
# 元 inside words (元素, 元件, 元旦 …) is not a currency.
_CUR = rf"(?:{_CURRENCY})(?![素件旦宵帅老器组])"
AMOUNT_RE = re.compile(
    rf"(?P<s1>{number_pattern('1')} ?(?P<cur1>{_CUR})?)"
    rf"(?: ?(?P<sep>——|[-~—–至到]) ?{number_pattern('2')} ?(?P<cur2>{_CUR})?)?"
    r"(?:(?:[(（]含[)）])?(?P<post>左右|上下|以上|以下|以内))?"
)
PREFILTER_RE = re.compile("[元万亿]")
PRE_QUALIFIER_RE = re.compile(
    r"(?P<pre>约为|大约|约|将近|接近|近|超过|超|逾|突破|至少|高于|不足|不到|不超过|低于|最高|最多|上) ?$"
)
_MONEY_WORDS = (
    "投资|资金|市值|价值|产值|收入|销售额|销售|营收|营业额|金额|融资|补贴|补助|奖励|资本|经费|投入|出资|注资"
    "|估值|成本|利润|税收|资产|预算|贷款|基金|成交额|交易额|总额"
)
BARE_LEFT_CUE_RE = re.compile(rf"(?:{_MONEY_WORDS})[达为约近超逾了到至共计合累高]{{0,3}} ?$")
BARE_RIGHT_CUE_RE = re.compile(r"的?[\u4e00-\u9fff]{0,3}?(?:奖励|补贴|补助|资金|投资|经费|基金)")
MEASURE_AFTER_RE = re.compile(r"[人名个家项件台头株吨亩平米克里次辆套户所座条只批场篇部股倍瓦度千]")


@dataclass(frozen=True)
class Side:
    """One side of an amount (a range has two): the number as written and its unit of magnitude."""

    arabic: str | None = None
    chinese: str | None = None
    vague: str | None = None
    magnitude: str | None = None
    sub_wan: str | None = None
    about: bool = False

    @classmethod
    def of(cls, match: re.Match[str], s: str) -> Side:
        return cls(
            match.group("ar" + s),
            match.group("cn" + s),
            match.group("vg" + s),
            match.group("mag" + s),
            match.group("sw" + s),
            bool(match.group("ab" + s) or match.group("ax" + s)),
        )

    @property
    def present(self) -> bool:
        return bool(self.arabic or self.chinese or self.vague)


class MoneyParseError(LongchengError, ValueError):
    """A text that is not one money amount (also a ``ValueError`` for plain validators)."""

    code = "money.unparseable"
    status = 422
    message = "无法识别的金额。"


class CurrencyMismatch(LongchengError):
    """Arithmetic or comparison between two currencies."""

    code = "money.currency_mismatch"
    status = 422
    message = "不同币种的金额不能直接相加、相减或比较。"


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    OVER = "over"
    UNDER = "under"
    RANGE = "range"


_FEN = Decimal(100)
_MAX_FEN = 10**20  # a trillion 亿 yuan: anything larger is a run of digits, not money
_YI = 100_000_000
_WAN = 10_000


def _check_currency(currency: str) -> str:
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        raise MoneyParseError(f"币种代码应为三位大写字母（如 CNY），收到：{currency!r}")
    return currency


@dataclass(frozen=True, order=False)
class Money:
    """An exact amount: integer fen (1/100 of the currency unit) and an ISO 4217 code.

    ``str()`` writes what a Chinese reader expects, exactly: whole or short multiples of 亿 and
    万 as ``101亿元`` / ``52.8亿元`` / ``9600万元``, other amounts with two decimals and
    thousands separators (``1,234.50元``); other currencies by their Chinese name (``10亿美元``).
    """

    fen: int
    currency: str = "CNY"

    def __post_init__(self) -> None:
        if not isinstance(self.fen, int) or isinstance(self.fen, bool):
            raise TypeError("Money.fen must be an int")
        _check_currency(self.currency)

    @classmethod
    def from_yuan(
        cls, value: Decimal | str | int, currency: str = "CNY", *, rounding: str | None = None
    ) -> Money:
        """Exact conversion; more than two decimals is an error unless ``rounding`` (e.g.
        ``decimal.ROUND_HALF_UP``) says how to drop them."""
        if isinstance(value, float):
            raise TypeError("Money.from_yuan does not accept float; pass a Decimal or a string")
        try:
            amount = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation as exc:
            raise MoneyParseError(f"无法识别的金额：{value!r}") from exc
        if not amount.is_finite():
            raise MoneyParseError(f"无法识别的金额：{value!r}")
        exponent = amount.as_tuple().exponent
        if (
            rounding is None
            and isinstance(exponent, int)
            and exponent < -2
            and amount != amount.quantize(Decimal("0.01"))
        ):
            raise MoneyParseError(f"金额最多保留两位小数（精确到分）：{value}")
        fen = (amount * _FEN).quantize(Decimal(1), rounding=rounding or ROUND_HALF_UP)
        return cls(int(fen), currency)

    @property
    def yuan(self) -> Decimal:
        return Decimal(self.fen) / _FEN

    def __str__(self) -> str:
        name = CURRENCY_NAMES.get(self.currency, " " + self.currency)
        sign = "-" if self.fen < 0 else ""
        amount = abs(self.yuan)
        for unit, label in ((_YI, "亿"), (_WAN, "万")):
            if amount >= unit:
                scaled = amount / unit
                if scaled == scaled.quantize(Decimal("0.0001")):
                    return f"{sign}{_plain(scaled)}{label}{name}"
        return f"{sign}{amount:,.2f}{name}"

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError("Money arithmetic needs Money on both sides")
        if other.currency != self.currency:
            raise CurrencyMismatch(details={"left": self.currency, "right": other.currency})
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.fen + self._same(other).fen, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.fen - self._same(other).fen, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.fen, self.currency)

    def __mul__(self, factor: int) -> Money:
        if not isinstance(factor, int) or isinstance(factor, bool):
            raise TypeError("Money can only be multiplied by an int")
        return Money(self.fen * factor, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.fen < self._same(other).fen

    def __le__(self, other: Money) -> bool:
        return self.fen <= self._same(other).fen

    def __gt__(self, other: Money) -> bool:
        return self.fen > self._same(other).fen

    def __ge__(self, other: Money) -> bool:
        return self.fen >= self._same(other).fen


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class ParsedAmount:
    """One amount found in a text: bounds in fen, ISO currency, qualifier and where it stands."""

    low_fen: int
    high_fen: int
    currency: str
    qualifier: Qualifier
    text: str
    start: int
    end: int

    @property
    def value_fen(self) -> int | None:
        """The point value (exact, approximate, lower or upper bound); None for a range."""
        return None if self.qualifier is Qualifier.RANGE else self.low_fen

    @property
    def low(self) -> Money:
        return Money(self.low_fen, self.currency)

    @property
    def high(self) -> Money:
        return Money(self.high_fen, self.currency)


def _number(text: str) -> Decimal:
    if text[0].isdigit():
        return Decimal(text.replace(",", "").replace(" ", ""))
    return chinese_to_decimal(text)


def _fen(value: Decimal) -> int:
    return int((value * _FEN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _side_bounds(side: Side, magnitude: int) -> tuple[int, int]:
    if side.vague:
        low, high = VAGUE_RANGES[side.vague]
        return _fen(Decimal(low * magnitude)), _fen(Decimal(high * magnitude))
    value = _number(side.arabic or side.chinese or "0") * magnitude
    if side.sub_wan:
        value += _number(side.sub_wan) * _WAN
    return _fen(value), _fen(value)


def _qualifier(pre: str, post: str, left: Side, ranged: bool) -> Qualifier:
    if ranged or left.vague:
        return Qualifier.RANGE
    if pre in ("超", "超过", "逾", "突破", "至少", "高于", "上") or post == "以上":
        return Qualifier.OVER
    if pre in ("不足", "不到", "不超过", "低于", "最高", "最多") or post in ("以下", "以内"):
        return Qualifier.UNDER
    if pre or post or left.about:
        return Qualifier.APPROXIMATE
    return Qualifier.EXACT


def _plausible(side: Side, unit: str | None) -> bool:
    """A Chinese numeral straight before 元 must read as a number: 三元锂电池 and 一元化 are not money."""
    if side.chinese and not side.magnitude and not side.sub_wan:
        return len(side.chinese) >= 2 and any(c in "十百千" for c in side.chinese)
    return not (side.vague and not side.magnitude and unit is None)


def _bare_money(folded: str, start: int, end: int, magnitude: str | None) -> bool:
    """An amount without currency (``投资20亿``) counts only beside a money word."""
    if magnitude in (None, "千") or MEASURE_AFTER_RE.match(folded, end):
        return False
    if BARE_LEFT_CUE_RE.search(folded, max(0, start - 10), start):
        return True
    return BARE_RIGHT_CUE_RE.match(folded, end) is not None


@dataclass(frozen=True)
class _Shape:
    """What a regex match says once the range part is accepted or dropped."""

    left: Side
    right: Side | None
    unit: str | None
    end: int
    post: str


def _shape(match: re.Match[str], single: bool) -> _Shape | None:
    left, right = Side.of(match, "1"), Side.of(match, "2")
    cur1, cur2 = match.group("cur1"), match.group("cur2")
    ranged = not single and right.present and bool(right.magnitude or cur2) and not (cur1 and not cur2)
    if ranged and cur1 and cur2 and CURRENCIES[cur1] != CURRENCIES[cur2]:
        ranged = False
    if not ranged:
        if not _plausible(left, cur1):
            return None
        if right.present:  # the second number was no amount (2亿元到2025年): stop after the first
            return _Shape(left, None, cur1, match.end("s1"), "")
        return _Shape(left, None, cur1, match.end(), match.group("post") or "")
    if not (_plausible(left, cur2) and _plausible(right, cur2)):
        return None
    return _Shape(left, right, cur2, match.end(), match.group("post") or "")


def _build(
    folded: str, original: str, match: re.Match[str], *, strict: bool, single: bool = False
) -> ParsedAmount | None:
    """The amount for one regex match, or None when it is not money (see module docstring)."""
    shape = _shape(match, single)
    if shape is None:
        return None
    start = match.start()
    pre_match = PRE_QUALIFIER_RE.search(folded, max(0, start - 4), start)
    pre = pre_match.group("pre") if pre_match else ""
    if pre == "上" and not (shape.left.chinese or "").startswith(("百", "千")):
        pre = ""
    if pre_match and pre:
        start = pre_match.start()
    last = shape.right or shape.left
    if shape.unit is None and not (strict or _bare_money(folded, start, shape.end, last.magnitude)):
        return None
    if strict and shape.unit is None and last.magnitude is None:
        return None
    mag_right = MAGNITUDES.get(last.magnitude or "", 1)
    try:
        low, high = _side_bounds(shape.left, MAGNITUDES.get(shape.left.magnitude or "", 0) or mag_right)
        if shape.right is not None:
            high = _side_bounds(shape.right, mag_right)[1]
    except (ValueError, ArithmeticError):  # a numeral that reads as no number (一二三四五六万元)
        return None
    if high > _MAX_FEN:
        return None
    if shape.right is not None and high <= low:  # not a range after all (2亿元到2025年)
        return _build(folded, original, match, strict=strict, single=True)
    qualifier = _qualifier(pre, shape.post, shape.left, shape.right is not None)
    currency = CURRENCIES[shape.unit] if shape.unit else "CNY"
    text = original[start : shape.end].rstrip()
    return ParsedAmount(low, high, currency, qualifier, text, start, start + len(text))


def find_amounts(text: str) -> list[ParsedAmount]:
    """Every money amount in running text, in order, with offsets into ``text``."""
    if not PREFILTER_RE.search(text):
        return []
    folded = to_halfwidth(text)
    found: list[ParsedAmount] = []
    for match in AMOUNT_RE.finditer(folded):
        if not (match.group("mag1") or match.group("cur1") or match.group("sep")):
            continue  # a bare number (2023, 一批): the common case, skipped cheaply
        amount = _build(folded, text, match, strict=False)
        if amount is not None:
            found.append(amount)
    return found


def parse_amount(text: str) -> ParsedAmount:
    """The one amount that ``text`` is, e.g. ``超114亿元``; ``MoneyParseError`` otherwise.

    Surrounding spaces are ignored; offsets refer to ``text``. An amount with a unit of magnitude
    but no currency (``1000万``) is CNY; a bare number without any unit is rejected.
    """
    folded = to_halfwidth(text)
    stripped = folded.strip()
    offset = len(folded) - len(folded.lstrip())
    for match in AMOUNT_RE.finditer(folded, offset):
        amount = _build(folded, text, match, strict=True)
        if amount is None or amount.start != offset or amount.end != offset + len(stripped):
            break
        return amount
    raise MoneyParseError(f"无法识别的金额：{text.strip() or '（空）'}", details={"text": text})
