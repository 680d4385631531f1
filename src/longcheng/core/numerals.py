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
        ord("～"): ord("~"),
        ord("＄"): ord("$"),
    }
)

#: Digits in their common, financial (大写) and traditional forms.
CN_DIGITS: dict[str, int] = {
    **dict.fromkeys("零〇○", 0),
    **dict.fromkeys("一壹", 1),
    **dict.fromkeys("二贰貳两兩", 2),
    **dict.fromkeys("三叁參叄", 3),
    **dict.fromkeys("四肆", 4),
    **dict.fromkeys("五伍", 5),
    **dict.fromkeys("六陆陸", 6),
    **dict.fromkeys("七柒", 7),
    **dict.fromkeys("八捌", 8),
    **dict.fromkeys("九玖", 9),
}
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUMERAL_CHARS = frozenset(CN_DIGITS) | frozenset(CN_SMALL_UNITS) | frozenset(CN_BIG_UNITS) | {"点"}


def to_halfwidth(text: str) -> str:
    """Full-width digits, point, comma, minus and spaces folded to ASCII; same length."""
    return text.translate(WIDTH_TABLE)


def _small_section(text: str) -> int:
    """A section below 10,000: ``两千五百`` → 2500, ``十二`` → 12, ``千`` → 1000, ``三千五`` → 3500."""
    if not text:
        return 0
    if all(c in CN_DIGITS for c in text):
        return int("".join(str(CN_DIGITS[c]) for c in text))
    if len(text) >= 2 and CN_DIGITS.get(text[-1]) and CN_SMALL_UNITS.get(text[-2], 0) >= 100:
        # 三千五 and 一百二 say the next unit down: 3500 and 120.
        return _small_section(text[:-1]) + CN_DIGITS[text[-1]] * CN_SMALL_UNITS[text[-2]] // 10
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
    """An integer with optional 万 and 亿 sections (``三亿五千万`` → 350000000, ``一万五`` → 15000)."""
    total = 0
    section = ""
    last_big = 0
    for char in text:
        if char in CN_BIG_UNITS:
            unit = CN_BIG_UNITS[char]
            value = _small_section(section) if section else (0 if total else 1)
            if unit == 10_000 and total % 100_000_000 == 0 and total:
                total += value * unit  # 一亿五千万: the 万 section sits below the 亿 already read
            else:
                total = (total + value) * unit
            section = ""
            last_big = unit
        else:
            section += char
    if len(section) == 1 and last_big and CN_DIGITS.get(section):
        return total + CN_DIGITS[section] * last_big // 10  # 一万五 = 15000, 一亿二 = 1.2亿
    return total + _small_section(section)


def chinese_to_decimal(text: str) -> Decimal:
    """The value of a Chinese numeral; ``ValueError`` when ``text`` is not one.

    Accepts the units 十 百 千 万 亿 (also 拾 佰 仟 萬 億), the digits (common, financial 大写 and
    traditional forms), 两, 〇/零, the spoken short forms 一万五 (15000) and 三千五 (3500), and a
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


_PAIR_RE = re.compile(
    r"(?P<head>.*[十拾百佰千仟万萬亿億])?(?P<a>[一二两三四五六七八九])(?P<b>[二两三四五六七八九])"
    r"(?P<unit>[十拾百佰千仟]?)"
)


def _approximate(core: str) -> tuple[int, int] | None:
    """Two adjacent digits (``十七八``) or a trailing 几 (``二十几``): the bounds, else None."""
    pair = _PAIR_RE.fullmatch(core)
    if pair is not None:
        a, b = CN_DIGITS[pair["a"]], CN_DIGITS[pair["b"]]
        if b - a in (1, 2):
            head = pair["head"] or ""
            unit = CN_SMALL_UNITS.get(pair["unit"], 0) or CN_SMALL_UNITS.get(head[-1:], 10) // 10 or 1
            base = _integer(head) if head else 0
            return base + a * unit, base + b * unit
    if core.endswith("几") and len(core) > 1 and core[-2] in CN_SMALL_UNITS:
        low = _integer(core[:-1])
        return low, low + CN_SMALL_UNITS[core[-2]]
    return None


def chinese_bounds(text: str) -> tuple[Decimal, Decimal]:
    """The bounds a Chinese numeral names: equal for a number, two for an approximate one.

    Two adjacent digits name a range (``七八`` → 7–8, ``三五万`` → 3万–5万, ``十七八`` → 17–18,
    ``二三十`` → 20–30, ``一千五六百`` → 1500–1600) and a trailing 几 the next ten (``二十几万`` →
    20万–30万). ``ValueError`` when ``text`` is no numeral.
    """
    core = text.rstrip("".join(CN_BIG_UNITS))
    found = _approximate(core) if core else None
    if found is None:
        value = chinese_to_decimal(text)
        return value, value
    scale = 1
    for char in text[len(core) :]:
        scale *= CN_BIG_UNITS[char]
    return Decimal(found[0] * scale), Decimal(found[1] * scale)


# --- Regex fragments for numbers inside running text (used by ``longcheng.core.money``) -----------

#: Units of magnitude written after a number, longest first.
MAGNITUDES: dict[str, int] = {
    "万亿": 1_000_000_000_000,
    "萬億": 1_000_000_000_000,
    "亿": 100_000_000,
    "億": 100_000_000,
    "千万": 10_000_000,
    "千萬": 10_000_000,
    "百万": 1_000_000,
    "百萬": 1_000_000,
    "十万": 100_000,
    "十萬": 100_000,
    "万": 10_000,
    "萬": 10_000,
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

#: Every character a Chinese numeral is written with (digits in all forms, small and big units).
CN_CHARS = "".join(sorted(set(CN_DIGITS) | set(CN_SMALL_UNITS) | set(CN_BIG_UNITS)))
_CN_DECIMALS = "零〇○一二两三四五六七八九"
#: An Arabic number does not start inside another: not after a digit, nor after ``1.`` or ``1,``
#: unless that comma is no thousands separator (``2023,10亿元``). A comma or full stop after a
#: word (``项目,10亿元``, ``签约.20亿元``) is punctuation, as ``，`` and ``。`` are.
_AR_START = r"(?<!\d)(?<!\d\.)(?:(?<!\d,)|(?!\d{3}(?!\d)))"
#: Digit groups: ``1,234,567``; a full-width ``，`` counts as a separator only beside an ASCII one
#: or in a run of two or more (``1,234，567``, ``1，234，567``): a single ``3，120`` is two clauses.
_AR_GROUPED = r"\d{1,3}(?:(?:,\d{3})+(?:[,，]\d{3})*|，\d{3}(?:[,，]\d{3})+)"
_AR_FRACTION = r"(?: ?\. ?\d{1,8})?"


def number_pattern(suffix: str) -> str:
    """One number with an optional 余/多, unit of magnitude and 亿…万 tail, as named groups.

    Groups: ``ar`` (Arabic, ``1,234.5`` or ``52. 8``), ``vg`` (vague: 数, 几十 …), ``cn``
    (Chinese numeral, with its own 万/亿: ``三亿五千万``, ``壹佰零壹萬``), ``ji`` (几 after a
    Chinese numeral: ``二十几``), ``ab`` (余/多/来 = about), ``mag`` (万, 亿 …; ``3个亿`` too),
    ``sw`` (the 万 part of ``3亿5000万``), ``sk`` (the part below 万 of ``1万5000元``, ``1万5千元``),
    ``ax`` (余/多 after the unit) — each followed by ``suffix``.
    """
    s = suffix
    vague = "|".join(VAGUE_RANGES)
    magnitudes = "|".join(MAGNITUDES)
    return (
        rf"(?:{_AR_START}(?P<ar{s}>{_AR_GROUPED}{_AR_FRACTION}|\d{{1,16}}{_AR_FRACTION})"
        rf"|(?P<vg{s}>{vague})"
        rf"|(?<![{CN_CHARS}])(?P<cn{s}>[{CN_CHARS}]{{1,40}}(?:点[{_CN_DECIMALS}]{{1,8}})?)(?P<ji{s}>几)?)"
        rf" ?(?P<ab{s}>余|多|来)? ?(?:个(?=[亿億]))?(?P<mag{s}>{magnitudes})?"
        rf"(?:(?<=[亿億])(?P<sw{s}>\d{{1,4}}|[{CN_CHARS}]+)[万萬])?"
        rf"(?:(?<=[万萬])(?P<sk{s}>\d千(?:\d百)?|\d百|\d{{1,4}}(?![\d.,]))(?!{magnitudes}))?(?P<ax{s}>余|多)?"
    )


_FORM_NUMBER_RE = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万亿|亿|千万|百万|十万|万|千)?")
_SCIENTIFIC_RE = re.compile(r"\d\.?\d*[eE][+-]?\d")


MAX_DIGITS = 24  # far beyond any amount in fen that fits 64 bits (19 digits), within Decimal's 28


def parse_number(text: str) -> Decimal:
    """A number typed in a form or an import cell: ``1,234.5万`` → 12345000, ``一亿``, ``１２３``.

    Thousands separators must be in groups of three; scientific notation is refused (government
    forms never use it and ``1.2e8`` is usually a spreadsheet artefact).
    """
    folded = to_halfwidth(text).strip().replace(" ", "")
    if len(folded) > 80:
        raise NumberParseError(
            f"数字过长：{text.strip()[:40]}…", code="number.too_large", details={"text": text[:80]}
        )
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
    if value and value.adjusted() >= MAX_DIGITS:
        raise NumberParseError(
            f"数字过大：{text.strip()[:40]}（最多 {MAX_DIGITS} 位整数）。",
            code="number.too_large",
            details={"text": text},
        )
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
