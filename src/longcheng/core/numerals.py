"""Numerals as Chinese documents write them: full-width digits and Chinese numerals (汉字数字).

Pure helpers shared by the money parser (``longcheng.core.money``) and by form/import validation:

* ``WIDTH_TABLE`` / ``to_halfwidth`` fold full-width digits, point and spaces (``１２３．５``) to ASCII
  one character for one character, so character offsets in the folded text are the offsets
  in the original.
* ``chinese_to_decimal`` reads Chinese numerals with the units 十 百 千 万 亿 and the decimal
  point 点: ``两千五百`` → 2500, ``一亿`` → 100000000, ``一点二`` → 1.2, ``十二`` → 12,
  ``二〇二三`` → 2023 (digit by digit when no unit is written).
* ``parse_number`` reads a number typed in a form or an import cell (``1,234.5万``, ``一亿``)
  and refuses scientific notation; ``longcheng.core.money`` re-exports it.
* ``number_pattern`` is the regex of a number inside running text that ``find_amounts`` uses.

cn2an reads most of these too, but it rejects ``一点二亿`` and vague amounts; this module is
small, exact (``Decimal``) and fast, and the tests check it against cn2an on the cases both read.
"""

from __future__ import annotations

import re
from decimal import Decimal

from longcheng.core.errors import LongchengError


class NumberParseError(LongchengError, ValueError):
    """A form or import value that is not a number (also a ``ValueError``)."""

    code = "number.unparseable"
    status = 422
    message = "无法识别的数字。"


FULLWIDTH_DIGITS = "０１２３４５６７８９"

#: One-to-one folding of full-width digits and number signs to ASCII (offsets are preserved).
WIDTH_TABLE: dict[int, int] = {ord(c): ord("0") + i for i, c in enumerate(FULLWIDTH_DIGITS)}
WIDTH_TABLE.update(
    {
        ord("．"): ord("."),
        ord("－"): ord("-"),
        ord("＋"): ord("+"),
        ord("\u3000"): ord(" "),
        ord("\xa0"): ord(" "),
        ord("Ｅ"): ord("E"),
        ord("ｅ"): ord("e"),
    }
)

CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUMERAL_CHARS = frozenset(CN_DIGITS) | frozenset(CN_SMALL_UNITS) | frozenset(CN_BIG_UNITS) | {"点"}


def to_halfwidth(text: str) -> str:
    """Full-width digits, point, comma, minus and spaces folded to ASCII; same length."""
    return text.translate(WIDTH_TABLE)


def _small_section(text: str) -> int:
    """A section below 10,000: ``两千五百`` → 2500, ``十二`` → 12, ``千`` → 1000."""
    if not text:
        return 0
    if all(c in CN_DIGITS for c in text):
        return int("".join(str(CN_DIGITS[c]) for c in text))
    total = 0
    digit: int | None = None
    for char in text:
        if char in CN_DIGITS:
            digit = CN_DIGITS[char] if digit is None or digit == 0 else digit * 10 + CN_DIGITS[char]
        elif char in CN_SMALL_UNITS:
            total += (1 if digit is None else digit) * CN_SMALL_UNITS[char]
            digit = None
        else:
            raise ValueError(char)
    return total + (digit or 0)


def _integer(text: str) -> int:
    """An integer with optional 万 and 亿 sections (``三亿五千万`` → 350000000)."""
    total = 0
    section = ""
    for char in text:
        if char in CN_BIG_UNITS:
            unit = CN_BIG_UNITS[char]
            value = _small_section(section) if section else (0 if total else 1)
            if unit == 10_000 and total % 100_000_000 == 0 and total:
                total += value * unit  # 一亿五千万: the 万 section sits below the 亿 already read
            else:
                total = (total + value) * unit
            section = ""
        else:
            section += char
    return total + _small_section(section)


def chinese_to_decimal(text: str) -> Decimal:
    """The value of a Chinese numeral; ``ValueError`` when ``text`` is not one.

    Accepts the units 十 百 千 万 亿, the digits (lower and financial forms), 两, 〇/零 and a
    decimal part after 点 written digit by digit (``一点二亿`` → 120000000).
    """
    text = text.strip()
    if not text or any(c not in CN_NUMERAL_CHARS for c in text) or text.count("点") > 1:
        raise ValueError(text)
    if "点" not in text:
        return Decimal(_integer(text))
    head, _, tail = text.partition("点")
    big = ""
    while tail and tail[-1] in CN_BIG_UNITS:
        big = tail[-1] + big
        tail = tail[:-1]
    if not tail or any(c not in CN_DIGITS for c in tail):
        raise ValueError(text)
    value = Decimal(_integer(head) if head else 0) + Decimal("0." + "".join(str(CN_DIGITS[c]) for c in tail))
    for char in big:
        value *= CN_BIG_UNITS[char]
    return value


# --- Regex fragments for numbers inside running text (used by ``longcheng.core.money``) -----------

#: Units of magnitude written after a number, longest first.
MAGNITUDES: dict[str, int] = {
    "万亿": 1_000_000_000_000,
    "亿": 100_000_000,
    "千万": 10_000_000,
    "百万": 1_000_000,
    "十万": 100_000,
    "万": 10_000,
    "千": 1_000,
}

#: Vague numerals and the decade they name, as multipliers of the unit that follows.
VAGUE_RANGES: dict[str, tuple[int, int]] = {
    "数十": (10, 100),
    "几十": (10, 100),
    "数百": (100, 1000),
    "几百": (100, 1000),
    "数千": (1000, 10000),
    "几千": (1000, 10000),
    "十几": (10, 20),
    "十数": (10, 20),
    "数": (1, 10),
    "几": (1, 10),
    "若干": (1, 10),
}

_CN = "零〇○一二两三四五六七八九十百千"


def number_pattern(suffix: str) -> str:
    """One number with an optional 余/多, unit of magnitude and 亿…万 tail, as named groups.

    Groups: ``ar`` (Arabic, ``1,234.5`` or ``52. 8``), ``vg`` (vague: 数, 几十 …), ``cn``
    (Chinese numeral), ``ab`` (余/多 = about), ``mag`` (万, 亿 …), ``sw`` (the 万 part of
    ``3亿5000万``) — each followed by ``suffix``.
    """
    s = suffix
    vague = "|".join(VAGUE_RANGES)
    magnitudes = "|".join(MAGNITUDES)
    return (
        rf"(?:(?<![\d.,])(?P<ar{s}>\d{{1,3}}(?:,\d{{3}})+(?: ?\. ?\d{{1,8}})?|\d{{1,16}}(?: ?\. ?\d{{1,8}})?)"
        rf"|(?P<vg{s}>{vague})"
        rf"|(?<![{_CN}])(?P<cn{s}>[{_CN}]{{1,16}}(?:点[零〇○一二三四五六七八九]{{1,8}})?))"
        rf" ?(?P<ab{s}>余|多)? ?(?P<mag{s}>{magnitudes})?"
        rf"(?:(?<=亿)(?P<sw{s}>\d{{1,4}}|[{_CN}]+)万)?(?P<ax{s}>余|多)?"
    )


_FORM_NUMBER_RE = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万亿|亿|千万|百万|十万|万|千)?")
_SCIENTIFIC_RE = re.compile(r"\d\.?\d*[eE][+-]?\d")


def parse_number(text: str) -> Decimal:
    """A number typed in a form or an import cell: ``1,234.5万`` → 12345000, ``一亿``, ``１２３``.

    Thousands separators must be in groups of three; scientific notation is refused (government
    forms never use it and ``1.2e8`` is usually a spreadsheet artefact).
    """
    folded = to_halfwidth(text).strip().replace(" ", "")
    if _SCIENTIFIC_RE.search(folded):
        raise NumberParseError(
            f"不接受科学计数法：{text.strip()}。请写成 120000000 或 1.2亿 这样的形式。",
            code="number.scientific_notation",
            details={"text": text},
        )
    value: Decimal | None = None
    match = _FORM_NUMBER_RE.fullmatch(folded)
    if match:
        value = Decimal(match.group(2).replace(",", "") + (match.group(3) or ""))
        value *= MAGNITUDES.get(match.group(4) or "", 1)
        if match.group(1) == "-":
            value = -value
    elif folded:
        negative = folded.startswith("负")
        try:
            value = chinese_to_decimal(folded[1:] if negative else folded)
        except ValueError:
            value = None
        if value is not None and negative:
            value = -value
    if value is None:
        raise NumberParseError(f"无法识别的数字：{text.strip() or '（空）'}", details={"text": text})
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
