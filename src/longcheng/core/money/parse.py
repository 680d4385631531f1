"""Reading amounts in text: ``find_amounts`` (running text) and ``parse_amount`` (one amount).

One regex (``AMOUNT_RE``) finds a number, its unit of magnitude and currency, an optional second
number (a range), the 角/分 tail and 整; ``_build`` then reads the words around it (qualifiers
before and after, a currency before the number) and decides whether the match is money at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from longcheng.core.money.amount import MAX_FEN, MoneyParseError, ParsedAmount, Qualifier
from longcheng.core.money.capital import CAPITAL_CHARS, CAPITAL_DIGITS, sub_yuan_amounts
from longcheng.core.money.currencies import (
    CURRENCIES,
    CURRENCY_PATTERN,
    GENERIC_UNITS,
    PREFILTER_RE,
    prefix_before,
)
from longcheng.core.numerals import (
    CN_BIG_UNITS,
    CN_DIGITS,
    CN_SMALL_UNITS,
    MAGNITUDES,
    VAGUE_RANGES,
    chinese_bounds,
    chinese_to_decimal,
    number_pattern,
    to_halfwidth,
)

_SUB_DIGIT = "[0-9零〇一二两三四五六七八九" + CAPITAL_DIGITS + "]"
#: 角 (毛) and 分 after 元 (``12元5角``, ``元零伍角叁分``, ``3块5毛``, ``两块五``), then 整 (``叁佰万元整``).
_TAIL = (
    rf"(?:(?<=[元圆圓币块])(?P<tail>"
    rf"(?: ?零?(?P<jiao>{_SUB_DIGIT})(?:[角毛](?![度落色逐])|(?<=块.)(?![\d\u4e00-\u9fff])))?"
    rf"(?: ?零?(?P<fen>{_SUB_DIGIT})分(?![钟之析别配布行子数享]))?钱?(?:[整正](?![\u4e00-\u9fff]))?))?"
)
AMOUNT_RE = re.compile(
    rf"(?P<s1>{number_pattern('1')} ?(?P<cur1>{CURRENCY_PATTERN})?)"
    rf"(?: ?(?P<sep>——|[-~—–至到]) ?{number_pattern('2')} ?(?P<cur2>{CURRENCY_PATTERN})?)?"
    + _TAIL
    + r"(?:(?:[(（]含[)）])?(?P<post>左右|上下|以上|以下|以内))?"
)
PRE_QUALIFIER_RE = re.compile(
    r"(?P<pre>约为|约合|大约|约|将近|接近|近|超过|超|逾|突破|至少|高于|不足|不到|不超过|低于|最高|最多"
    r"|上|过|破) ?$"
)
_OVER = frozenset({"超", "超过", "逾", "突破", "至少", "高于", "上", "过", "破"})
_UNDER = frozenset({"不足", "不到", "不超过", "低于", "最高", "最多"})
#: Qualifiers that may stand for the number one before a bare unit: 超亿元, 上亿元, 过亿, 近万元.
_IMPLICIT_ONE = frozenset({"超", "超过", "逾", "突破", "上", "过", "破", "近", "将近", "约"})
_MONEY_WORDS = (
    "投资|资金|市值|价值|产值|收入|销售额|销售|营收|营业额|金额|融资|补贴|补助|奖励|资本|经费|投入|出资|注资"
    "|估值|成本|利润|税收|资产|预算|贷款|基金|成交额|交易额|总额|增资|募资|募集|筹资|集资|拨付|利税|纳税|缴税"
    "|出口额|进口额|进出口额|营业收入|票房|赔偿|罚款|捐款|捐赠|造价|总价|售价|年薪|月薪|薪酬|奖金|租金|费用|支出"
    "|开支|债务|负债|亏损|盈利|净利|毛利|GDP|生产总值|增加值|身价|身家"
)
_GAP = r"(?:[达为约近超逾了到至共计合累高过破总额是:：]|增长|增加|新增|突破|超过|达到|实现|完成)"
BARE_LEFT_CUE_RE = re.compile(rf"(?:{_MONEY_WORDS}){_GAP}{{0,3}} ?$")
BARE_RIGHT_CUE_RE = re.compile(r"的?[\u4e00-\u9fff]{0,3}?(?:奖励|补贴|补助|资金|投资|经费|基金)")
MEASURE_AFTER_RE = re.compile(r"[人名个家项件台头株吨亩平米克里次辆套户所座条只批场篇部股倍瓦度千]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_FEN = Decimal(100)


@dataclass(frozen=True)
class Side:
    """One side of an amount (a range has two): the number as written and its unit of magnitude."""

    arabic: str | None = None
    chinese: str | None = None
    vague: str | None = None
    magnitude: str | None = None
    sub_wan: str | None = None
    about: bool = False
    below_wan: str | None = None

    @classmethod
    def of(cls, match: re.Match[str], s: str) -> Side:
        chinese = match.group("cn" + s)
        if chinese and match.group("ji" + s):
            chinese += "几"
        return cls(
            match.group("ar" + s),
            chinese,
            match.group("vg" + s),
            match.group("mag" + s),
            match.group("sw" + s),
            bool(match.group("ab" + s) or match.group("ax" + s)),
            match.group("sk" + s),
        )

    @property
    def present(self) -> bool:
        return bool(self.arabic or self.chinese or self.vague)

    @property
    def written(self) -> str:
        """The Chinese numeral with its unit of magnitude (``两个亿`` → ``两亿``)."""
        return (self.chinese or "") + (self.magnitude or "")

    @property
    def scale(self) -> str | None:
        """The unit of magnitude written with the number: 万, 亿 … (a Chinese numeral holds its own)."""
        if self.magnitude or not self.chinese:
            return self.magnitude
        return next((c for c in "亿億万萬" if c in self.chinese), None)

    @property
    def units(self) -> str:
        """The units after the last digit (``五千万`` → ``千万``, ``5亿`` → ``亿``): what a bare left
        side of a range borrows (``三到五千万元``)."""
        text = self.written if self.chinese else self.magnitude or ""
        kept = len(text)
        while kept and (text[kept - 1] in CN_SMALL_UNITS or text[kept - 1] in CN_BIG_UNITS):
            kept -= 1
        return text[kept:]


def _fen(value: Decimal) -> int:
    return int((value * _FEN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _multiplier(units: str) -> int:
    return int(chinese_to_decimal("一" + units)) if units else 1


def _side_bounds(side: Side, borrowed: str) -> tuple[int, int]:
    """Bounds in fen; ``borrowed`` is the unit a side without its own takes from the other side."""
    own = MAGNITUDES[side.magnitude] if side.magnitude else _multiplier(borrowed)
    extra = _below_wan(side.below_wan) if side.below_wan else Decimal(0)
    if side.vague:
        low, high = VAGUE_RANGES[side.vague]
        return _fen(Decimal(low * own)), _fen(Decimal(high * own))
    if side.chinese:
        digits = side.chinese.rstrip("".join(CN_BIG_UNITS))
        low_d, high_d = chinese_bounds(side.written if side.scale else side.chinese)
        if len(digits) > 1 and all(c in CN_DIGITS for c in digits) and low_d == high_d:
            raise ValueError(side.chinese)  # 二〇二三 reads digit by digit: a year, not money
        scale = 1 if side.scale else _multiplier(borrowed)
        return _fen(low_d * scale + extra), _fen(high_d * scale + extra)
    value = Decimal(re.sub("[,， ]", "", side.arabic or "0")) * own + extra
    if side.sub_wan:
        value += _sub_wan(side.sub_wan)
    return _fen(value), _fen(value)


def _below_wan(text: str) -> Decimal:
    """The part after 万: ``5000`` as written, ``5千3百`` as read, a lone ``5`` spoken (1万5 = 15000)."""
    if text.isdigit():
        return Decimal(int(text) * 1000 if len(text) == 1 else int(text))
    return Decimal(
        sum(int(d) * (1000 if u == "千" else 100) for d, u in zip(text[::2], text[1::2], strict=True))
    )


def _sub_wan(text: str) -> Decimal:
    return (Decimal(text) if text.isdigit() else chinese_to_decimal(text)) * 10_000


def _qualifier(pre: str, post: str, left: Side, ranged: bool) -> Qualifier:
    if ranged or left.vague:
        return Qualifier.RANGE
    if pre in _OVER or post == "以上":
        return Qualifier.OVER
    if pre in _UNDER or post in ("以下", "以内"):
        return Qualifier.UNDER
    if pre or post or left.about:
        return Qualifier.APPROXIMATE
    return Qualifier.EXACT


def _plausible(side: Side, unit: str | None, marked: bool) -> bool:
    """A Chinese numeral straight before 元 must read as a number: 三元锂电池 and 一元化 are not
    money, 叁元, 十二元 and 三元五角 are (``marked``: 角/分/整 or a currency before the number)."""
    if side.chinese and not side.scale and not side.sub_wan:
        if marked or any(c in CAPITAL_CHARS for c in side.chinese):
            return True
        return len(side.chinese) >= 2 and any(c in "十百千" for c in side.chinese)
    return not (side.vague and not side.magnitude and unit is None)


def _bare_money(folded: str, start: int, end: int, scale: str | None) -> bool:
    """An amount without currency (``投资20亿``) counts only beside a money word."""
    if scale in (None, "千") or MEASURE_AFTER_RE.match(folded, end):
        return False
    if BARE_LEFT_CUE_RE.search(folded, max(0, start - 12), start):
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
    tail: tuple[str | None, str | None]  # the digits of 角 and 分


def _shape(match: re.Match[str], single: bool, marked: bool) -> _Shape | None:
    left, right = Side.of(match, "1"), Side.of(match, "2")
    cur1, cur2 = match.group("cur1"), match.group("cur2")
    ranged = not single and right.present and bool(right.scale or cur2) and not (cur1 and not cur2)
    if ranged and cur1 and cur2 and _currency(cur1, None) != _currency(cur2, None):
        ranged = False
    tail = (match.group("jiao"), match.group("fen"))
    marked = marked or bool(match.group("tail"))
    if not ranged:
        if not _plausible(left, cur1, marked):
            return None
        if right.present:  # the second number was no amount (2亿元到2025年): stop after the first
            return _Shape(left, None, cur1, match.end("s1"), "", (None, None))
        return _Shape(left, None, cur1, match.end(), match.group("post") or "", tail)
    # 三到五万元: a bare left numeral takes its unit from the right side, and is plausible with it.
    if not (_plausible(right, cur2, marked) and (right.scale or _plausible(left, cur2, marked))):
        return None
    return _Shape(left, right, cur2, match.end(), match.group("post") or "", tail)


@dataclass(frozen=True)
class _Left:
    """What stands before the number: a qualifier (约, 超 …) and a currency (港币, 人民币, ￥)."""

    start: int
    pre: str = ""
    currency: str | None = None


def _pre_applies(pre: str, side: Side) -> bool:
    """上, 过 and 破 qualify only a round number (上百亿, 过亿, 破千万), not 上5000万 (the 上 of 以上)."""
    if pre not in ("上", "过", "破"):
        return True
    chinese = side.chinese or ""
    return chinese[:1] in CN_BIG_UNITS or chinese.startswith(("百", "千"))


def _qualifier_before(folded: str, start: int, side: Side) -> tuple[int, str]:
    found = PRE_QUALIFIER_RE.search(folded, max(0, start - 4), start)
    if found and _pre_applies(found.group("pre"), side):
        return found.start(), found.group("pre")
    return start, ""


def _left(folded: str, start: int, side: Side) -> _Left:
    """Qualifier and currency before the number, in either order (人民币约5000万元, 约人民币5000万元)."""
    start, pre = _qualifier_before(folded, start, side)
    prefix = prefix_before(folded, start)
    if prefix is None:
        return _Left(start, pre)
    start, currency = prefix
    if not pre:
        start, pre = _qualifier_before(folded, start, side)
    return _Left(start, pre, currency)


def _tail_fen(tail: tuple[str | None, str | None]) -> int:
    jiao, fen = (int(chinese_to_decimal(d)) if d and not d.isdigit() else int(d or 0) for d in tail)
    return jiao * 10 + fen


def _bounds(shape: _Shape) -> tuple[int, int]:
    """Bounds in fen. A bare left side borrows the right side's unit (三到五万元) unless that
    makes it no range (八千元到一万元, 八千到一万元)."""
    right = shape.right
    extra = _tail_fen(shape.tail)
    if right is None:
        low, high = _side_bounds(shape.left, "")
        return low + extra, high + extra
    high = _side_bounds(right, "")[1] + extra
    borrowed = "" if shape.left.arabic and shape.left.magnitude else right.units
    if shape.left.chinese and any(c in CN_SMALL_UNITS for c in shape.left.chinese):
        borrowed = borrowed.lstrip("".join(CN_SMALL_UNITS))  # 十到二十万元: 10万–20万
    low = _side_bounds(shape.left, borrowed)[0]
    if low >= high and borrowed:
        low = _side_bounds(shape.left, "")[0]
    return low, high


def _currency(unit: str | None, prefix: str | None) -> str:
    if unit and unit not in GENERIC_UNITS:
        return CURRENCIES[unit]
    return prefix or "CNY"


def _build(
    folded: str, original: str, match: re.Match[str], *, strict: bool, single: bool = False
) -> ParsedAmount | None:
    """The amount for one regex match, or None when it is not money (see the package docstring)."""
    marked = prefix_before(folded, match.start()) is not None
    shape = _shape(match, single, marked)
    if shape is None:
        return None
    left = _left(folded, match.start(), shape.left)
    if (shape.left.chinese or " ")[0] in CN_BIG_UNITS and left.pre not in _IMPLICIT_ONE:
        return None  # 亿元 alone is a word (亿元项目), 超亿元 is an amount
    last = shape.right or shape.left
    if shape.unit is None and left.currency is None:
        if not (strict or _bare_money(folded, left.start, shape.end, last.scale)):
            return None
        if strict and last.scale is None:
            return None
    if shape.unit is None and last.scale is None and _CJK_RE.match(folded, shape.end):
        return None  # 人民币2023年: a currency word before a year
    try:
        low, high = _bounds(shape)
    except (ValueError, ArithmeticError, KeyError):  # a numeral that reads as no number
        return None
    if high > MAX_FEN:
        return None
    if shape.right is not None and high <= low:  # not a range after all (2亿元到2025年)
        return _build(folded, original, match, strict=strict, single=True)
    qualifier = _qualifier(left.pre, shape.post, shape.left, shape.right is not None or low != high)
    text = original[left.start : shape.end].rstrip()
    currency = _currency(shape.unit, left.currency)
    return ParsedAmount(low, high, currency, qualifier, text, left.start, left.start + len(text))


def _is_candidate(folded: str, match: re.Match[str]) -> bool:
    """Whether a match is worth reading: a bare number (2023, 一批) is not, and is skipped cheaply."""
    if match.group("mag1") or match.group("cur1") or match.group("sep"):
        return True
    chinese = match.group("cn1") or ""
    if any(c in CN_BIG_UNITS for c in chinese):
        return True
    return prefix_before(folded, match.start()) is not None


def find_amounts(text: str) -> list[ParsedAmount]:
    """Every money amount in running text, in order, with offsets into ``text``."""
    if not PREFILTER_RE.search(text):
        return []
    folded = to_halfwidth(text)
    found: list[ParsedAmount] = []
    for match in AMOUNT_RE.finditer(folded):
        if _is_candidate(folded, match):
            amount = _build(folded, text, match, strict=False)
            if amount is not None:
                found.append(amount)
    if "角" in folded or "分" in folded or "毛" in folded:
        found = _merge(found, sub_yuan_amounts(folded, text))
    return found


def _merge(found: list[ParsedAmount], more: list[ParsedAmount]) -> list[ParsedAmount]:
    kept = [m for m in more if not any(m.start < a.end and a.start < m.end for a in found)]
    return sorted(found + kept, key=lambda a: a.start) if kept else found


def parse_amount(text: str) -> ParsedAmount:
    """The one amount that ``text`` is, e.g. ``超114亿元``; ``MoneyParseError`` otherwise.

    Surrounding spaces are ignored; offsets refer to ``text``. An amount with a unit of magnitude
    but no currency (``1000万``) is CNY; a bare number without any unit is rejected.
    """
    folded = to_halfwidth(text)
    stripped = folded.strip()
    offset = len(folded) - len(folded.lstrip())
    whole = (offset, offset + len(stripped))
    for match in AMOUNT_RE.finditer(folded, offset):
        amount = _build(folded, text, match, strict=True)
        if amount is not None and (amount.start, amount.end) == whole:
            return amount
        if match.start() > offset + 12:
            break
    for amount in sub_yuan_amounts(folded, text):
        if (amount.start, amount.end) == whole:
            return amount
    raise MoneyParseError(f"无法识别的金额：{text.strip() or '（空）'}", details={"text": text})
