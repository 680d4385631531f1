"""Amounts typed by people (``--set``, YAML cases, CSV cells) to integer fen, and fen back to text.

Which forms are accepted, and why:

* ``123456789.87``, ``-5``, ``200000元``: plain decimals, at most two decimal places (fen).
* ``12,345`` and ``1,234,567.89``: accepted, because in Chinese forms a comma only ever groups
  thousands; a comma in any other place (``1,23``, ``12,3456``) is refused as ambiguous (it could
  be a decimal comma or a typo).
* ``20万``, ``1,234.5万元``, ``1.5亿``: accepted, 万 and 亿 are exact magnitudes.
* ``一亿``, ``两千五百万``, full-width digits: accepted, read by the platform's number parser
  (``longcheng.core.money.parse_number``), so a form and the engine agree on every amount.
* ``1.2e8``: refused. Scientific notation is a spreadsheet artefact, it hides how many digits
  were typed, and the engine never guesses at money.
* more than two decimal places (``0.001``): refused, the smallest unit of payment is the fen.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from longcheng.core.money import NumberParseError, parse_number
from longcheng.policy.engine.errors import InputError

MAX_MONEY_FEN = 10**14
"""1 万亿元: inputs beyond this are refused, so that every exact product fits in int64."""

_SCIENTIFIC_RE = re.compile(r"\d[eE][-+]?\d")
_PLAIN_RE = re.compile(r"^([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万|亿)?元?$")
_MAGNITUDE = {"": Decimal(1), "万": Decimal(10_000), "亿": Decimal(100_000_000)}


def parse_decimal(text: str) -> Decimal:
    """A number in one of the accepted forms above, exact."""
    folded = text.strip().replace(" ", "").replace("，", ",").replace("＋", "+").replace("－", "-")
    if not folded:
        raise InputError("policy.amount_empty", "金额不能为空")
    if _SCIENTIFIC_RE.search(folded):
        raise InputError(
            "policy.amount_scientific",
            f"不接受科学计数法“{text}”：请写成 120000000 或 1.2亿 这样的形式",
        )
    match = _PLAIN_RE.match(folded)
    if match:
        sign, digits, fraction, magnitude = match.groups()
        value = Decimal(digits.replace(",", "") + (fraction or "")) * _MAGNITUDE[magnitude or ""]
        return -value if sign == "-" else value
    if "," in folded:
        raise InputError(
            "policy.amount_ambiguous_comma",
            f"金额“{text}”中的逗号位置不对：逗号只能每三位分隔一次（如 12,345），无法确定其含义",
        )
    return _parse_other(text, folded.removesuffix("元"))


def _parse_other(text: str, folded: str) -> Decimal:
    """Chinese numerals and full-width digits: the platform's own number parser (``core.money``)."""
    try:
        return parse_number(folded)
    except NumberParseError as exc:
        raise InputError("policy.amount_unreadable", f"无法识别的金额“{text}”") from exc


def parse_fen(text: str) -> int:
    """An amount in yuan as typed, to integer fen; see the module docstring for the forms."""
    value = parse_decimal(text)
    return decimal_yuan_to_fen(value, text)


def decimal_yuan_to_fen(value: Decimal, shown: str | None = None) -> int:
    """An exact yuan amount to fen; refuses fractions of a fen and absurd magnitudes."""
    try:
        fen = value * 100
        exact = fen == fen.to_integral_value()
    except InvalidOperation as exc:
        raise InputError("policy.amount_unreadable", f"无法识别的金额“{shown or value}”") from exc
    if not exact:
        raise InputError("policy.amount_sub_fen", f"金额“{shown or value}”超过两位小数：最小单位是分")
    if abs(fen) > MAX_MONEY_FEN:
        raise InputError("policy.amount_too_large", f"金额“{shown or value}”超出可计算范围（1万亿元）")
    return int(fen)


def fen_to_yuan(fen: int) -> str:
    """``715827159`` → ``"7158271.59"``: the API's decimal string of yuan, always two decimals."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def exact_yuan(value: int, exp: int) -> str:
    """An exact amount of ``value / 10**exp`` fen as yuan, keeping every digit (at least two)."""
    quotient = Decimal(value).scaleb(-(exp + 2))
    text = format(quotient, "f")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0").ljust(2, "0")
    return f"{whole}.{fraction}"


def fen_to_chinese(fen: int) -> str:
    """Short Chinese text for guides and explanations: ``20万元``, ``1.5亿元``, ``1,234.56元``."""
    if fen and fen % 1_000_000 == 0:
        wan = fen // 1_000_000
        if wan % 10_000 == 0:
            return f"{wan // 10_000:,}亿元"
        if abs(wan) >= 10_000 and (wan * 10) % 10_000 == 0:
            return f"{Decimal(wan) / 10_000}亿元"
        return f"{wan:,}万元"
    yuan = fen_to_yuan(fen)
    whole, _, cents = yuan.partition(".")
    grouped = f"{int(whole):,}"
    return f"{grouped}元" if cents == "00" else f"{grouped}.{cents}元"


def bp_to_percent(bp: int) -> str:
    """Basis points as a percent text: ``1000`` → ``10%``, ``125`` → ``1.25%``."""
    text = format(Decimal(bp).scaleb(-2).normalize(), "f")
    return f"{text}%"
