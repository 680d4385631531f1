"""Amounts in financial capitals (大写金额), as cheques, contracts, grant and exchange documents write
them: ``to_capital`` writes them, and the parser reads them back (``parse_amount``).

``to_capital(101_000_000)`` is ``人民币壹佰零壹万元整``. The rules are the bank rules for filling in
bills (《支付结算办法》 and its appendix on writing amounts):

* digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, the yuan 元, then 角 and 分; every 拾 has its
  digit (``壹拾伍元``);
* one 零 for a run of zeros inside the number (``壹仟零伍元``, ``壹亿零壹元``, ``壹佰万零壹佰元``); none
  for zeros that end a 万 or 亿 section before a non-zero 千 (``壹拾万柒仟元``);
* ``整`` after 元 when there are no 角 and 分; after 角 it is left out; never after 分;
* 元 with a zero units digit and a 角: ``元零伍角`` (``壹拾万柒仟元零伍角叁分``); 角 zero and 分 not:
  ``元零叁分``; below one yuan, no 零元: ``伍角陆分``;
* negative amounts are refused: a bill states a sum, a debit says so in words beside it.

The parser also reads the traditional forms (萬, 億, 圓, 貳, 參, 陸) and amounts below one yuan
written only in capitals (``人民币伍角陆分``; ``5分`` alone is a score, not money).
"""

from __future__ import annotations

import re

from longcheng.core.money.amount import MoneyParseError, ParsedAmount, Qualifier
from longcheng.core.money.currencies import prefix_before
from longcheng.core.numerals import CN_CHARS, CN_DIGITS

CAPITAL_DIGITS = "壹贰貳叁參叄肆伍陆陸柒捌玖"
#: Characters that only financial capitals use: a numeral with one of them is unambiguous money.
CAPITAL_CHARS = CAPITAL_DIGITS + "拾佰仟萬億"
#: The first amount ``to_capital`` refuses: 1亿亿 yuan, where the units run out.
CAPITAL_LIMIT = 10**18

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
SUB_YUAN_RE = re.compile(
    rf"(?<![{CN_CHARS}元圆圓角块])(?:(?P<jiao>[{CAPITAL_DIGITS}])角(?:零?(?P<fen>[{CAPITAL_DIGITS}])分)?"
    rf"|(?P<only>[{CAPITAL_DIGITS}])分|(?P<spoken>[1-9一二两三四五六七八九])[角毛]钱)(?:[整正](?![\u4e00-\u9fff]))?"
)


def _section(number: int) -> str:
    """0 < number < 10,000, with one 零 for zeros between digits."""
    out: list[str] = []
    zero = False
    for power in (3, 2, 1, 0):
        digit = number // 10**power % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[digit] + _UNITS[power])
    return "".join(out)


def _integer(number: int) -> str:
    """0 < number < 10**16 in capitals, sections of 亿 and 万."""
    if number >= 10**8:
        high, low = divmod(number, 10**8)
        rest = ("零" if low < 10**7 else "") + _integer(low) if low else ""
        return _integer(high) + "亿" + rest
    if number >= 10**4:
        high, low = divmod(number, 10**4)
        rest = ("零" if low < 1000 else "") + _section(low) if low else ""
        return _section(high) + "万" + rest
    return _section(number)


def to_capital(fen: int, *, prefix: str = "人民币") -> str:
    """The amount ``fen`` in capitals, as a bill writes it: ``人民币壹佰零壹万元整`` (see module docstring).

    ``prefix`` is written first (``""`` for none). A negative amount, or one of 1亿亿 yuan or more,
    is refused with ``MoneyParseError``.
    """
    if not isinstance(fen, int) or isinstance(fen, bool):
        raise TypeError("to_capital needs integer fen")
    if fen < 0:
        raise MoneyParseError(
            f"大写金额不能为负数：{fen} 分。请写金额的绝对值，并在旁注明“退款”或“扣减”。",
            code="money.negative_capital",
            details={"fen": fen},
        )
    if fen >= CAPITAL_LIMIT:
        raise MoneyParseError(
            f"金额过大，无法写成大写：{fen} 分。", code="money.too_large", details={"fen": fen}
        )
    yuan, cents = divmod(fen, 100)
    jiao, cent = divmod(cents, 10)
    if yuan == 0 and cents:
        return prefix + (_DIGITS[jiao] + "角" if jiao else "") + (_DIGITS[cent] + "分" if cent else "")
    out = (_integer(yuan) if yuan else "零") + "元"
    if cents == 0:
        return prefix + out + "整"
    if jiao:
        out += ("零" if yuan % 10 == 0 else "") + _DIGITS[jiao] + "角"
    else:
        out += "零"
    return prefix + out + (_DIGITS[cent] + "分" if cent else "")


def sub_yuan_amounts(folded: str, original: str) -> list[ParsedAmount]:
    """Amounts below one yuan in capitals (``人民币伍角陆分``, ``捌分``) or spoken (``五毛钱``)."""
    found: list[ParsedAmount] = []
    for match in SUB_YUAN_RE.finditer(folded):
        jiao_digit = match.group("jiao") or match.group("spoken")
        jiao = int(jiao_digit) if jiao_digit and jiao_digit.isdigit() else CN_DIGITS.get(jiao_digit or "", 0)
        cent = match.group("fen") or match.group("only")
        fen = jiao * 10 + (CN_DIGITS[cent] if cent else 0)
        start, currency = prefix_before(folded, match.start()) or (match.start(), "CNY")
        text = original[start : match.end()]
        found.append(ParsedAmount(fen, fen, currency, Qualifier.EXACT, text, start, match.end()))
    return found
