"""Currencies as Chinese texts name them: after the number (``10亿美元``), before it (``港币三千元``,
``人民币5000万元``, ``美金200万``) or as a symbol or ISO code (``￥1,299.00``, ``HK$500万``, ``USD 100万``).

A generic 元 (also 圆/圓, and the spoken 块钱) takes the currency written before the number
(``新台币300万元`` is TWD); without one it is CNY.
"""

from __future__ import annotations

import re

#: Currency words written after a number and their ISO 4217 codes; the first word of each code
#: is its name in ``str(Money)``.
CURRENCIES: dict[str, str] = {
    "元": "CNY", "美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD", "英镑": "GBP",
    "韩元": "KRW", "澳元": "AUD", "加元": "CAD", "新加坡元": "SGD", "瑞士法郎": "CHF", "卢布": "RUB",
    "新台币": "TWD", "泰铢": "THB", "澳门元": "MOP", "新西兰元": "NZD", "印度卢比": "INR",
    "卢比": "INR", "越南盾": "VND", "印尼盾": "IDR", "林吉特": "MYR", "令吉": "MYR", "瑞典克朗": "SEK",
    "挪威克朗": "NOK", "丹麦克朗": "DKK", "兰特": "ZAR", "雷亚尔": "BRL", "迪拉姆": "AED",
    "沙特里亚尔": "SAR", "土耳其里拉": "TRY", "墨西哥比索": "MXN", "菲律宾比索": "PHP",
    "人民币元": "CNY", "元人民币": "CNY", "人民币": "CNY", "美金": "USD", "港币": "HKD",
    "台币": "TWD", "新台幣": "TWD", "台幣": "TWD", "澳门币": "MOP", "加拿大元": "CAD", "澳大利亚元": "AUD",
    "圆": "CNY", "圓": "CNY", "块钱": "CNY",
}  # fmt: skip
CURRENCY_NAMES: dict[str, str] = {}
for _word, _code in CURRENCIES.items():
    CURRENCY_NAMES.setdefault(_code, _word)

#: Words after the number that name no currency of their own: the one before the number decides.
GENERIC_UNITS = frozenset({"元", "圆", "圓", "块钱", "块"})

#: Words, symbols and codes written before the number.
PREFIXES: dict[str, str] = {
    **{word: code for word, code in CURRENCIES.items() if word not in GENERIC_UNITS},
    "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "¥": "CNY", "￥": "CNY",
    "USD": "USD", "US$": "USD", "$": "USD", "HKD": "HKD", "HK$": "HKD", "EUR": "EUR", "€": "EUR",
    "GBP": "GBP", "£": "GBP", "JPY": "JPY", "TWD": "TWD", "NT$": "TWD", "NTD": "TWD",
}  # fmt: skip

_GENERIC_NOT_MONEY = "素件旦宵帅老器组满形心柱桌周弧环润梦舞"  # 元素, 元件, 圆满, 圆形 …
_WORDS = "|".join(re.escape(w) for w in sorted(CURRENCIES, key=len, reverse=True))
#: 块 is the spoken yuan only where no noun follows (300块，两块五, 3块5毛): 三块钢板 is no money.
_KUAI = r"块(?=钱|[\d一二两三四五六七八九]?毛|[\d一二两三四五六七八九]?(?![\d\u4e00-\u9fff]))"
#: A currency word after a number; 元 and 圆 inside words (元素, 元件, 元旦, 圆满 …) are none.
CURRENCY_PATTERN = rf"(?:(?:{_WORDS})(?![{_GENERIC_NOT_MONEY}])|{_KUAI})"
#: A currency written just before the number (only a colon or a space between them).
PREFIX_RE = re.compile(
    "(?:" + "|".join(re.escape(w) for w in sorted(PREFIXES, key=len, reverse=True)) + r")[:：]? ?$"
)
#: Characters without which a text holds no amount (a cheap first test).
PREFILTER_RE = re.compile("[元圆圓万萬亿億角分毛块¥￥$€£]|" + _WORDS + "|RMB|CNY|USD|HKD|EUR|GBP|JPY|TWD|NTD")


def prefix_code(prefix: str) -> str:
    """The ISO code of a matched prefix such as ``港币`` or ``HK$ ``."""
    return PREFIXES[prefix.rstrip(" :：")]


_PREFIX_ENDS = frozenset(w[-1] for w in PREFIXES) | {":", "：", " "}


def prefix_before(folded: str, start: int) -> tuple[int, str] | None:
    """The currency written just before ``start`` (``港币三千元``): where it starts and its code."""
    if start == 0 or folded[start - 1] not in _PREFIX_ENDS:
        return None
    match = PREFIX_RE.search(folded, max(0, start - 9), start)
    return (match.start(), prefix_code(match.group())) if match else None
