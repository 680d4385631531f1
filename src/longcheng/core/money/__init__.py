"""Money: integer fen (分) plus an ISO currency, and the parser for amounts as Chinese texts write them.

Every module stores money as ``Money(fen, currency)``; nothing uses float. The parser reads
``101亿元``, ``52.8亿元``, ``9600余万元``, ``超114亿元``, ``数亿元``, ``两千五百万元``, ``10亿美元``,
``3.5亿欧元``, ``3-5亿元``, full-width digits (``１０１亿元``) and stray spaces (``52. 8亿元``); financial
capitals (``叁佰万元整``, ``壹仟贰佰叁拾肆元伍角陆分``, traditional ``貳億伍仟萬圓``) and 角/分 (``12元5角``);
the spoken forms ``一万五``, ``3个亿``; currencies after the number (美元, 日元, 新台币, 泰铢, 卢布, 韩元,
英镑, 澳元, 加元, 新加坡元, 瑞士法郎 …) or before it (``港币三千元``, ``人民币5000万元``, ``美金200万``,
``￥1,299.00``, ``HK$500万``); digit groups that mix ``,`` and ``，`` (``1,234，567元``).
``to_capital`` writes the capitals back (``人民币壹佰零壹万元整``).

The package: ``amount`` (``Money``, ``ParsedAmount``, errors), ``currencies`` (words, prefixes and
codes), ``parse`` (``find_amounts``, ``parse_amount``), ``capital`` (大写: ``to_capital`` and amounts
below one yuan), with the numerals themselves in ``longcheng.core.numerals``.

Qualifiers (``Qualifier``), and the conventions behind them:

* ``exact`` — a plain amount (``达``/``高达`` do not change that).
* ``approximate`` — 约, 大约, 近, 将近, 接近, 左右, 上下, 余, 多, 来. ``近`` (close to) is read as
  approximate, not as an upper bound: the press writes 近100亿元 both for 98亿 and for "about
  100亿". ``9600余万元`` and ``2000多美元`` keep the point value.
* ``over`` — a lower bound: 超, 超过, 逾, 突破, 以上, 至少, 高于, 上百/上千, and before a bare unit
  超亿元, 上亿元, 过亿, 破亿 (one 亿).
* ``under`` — an upper bound: 不足, 不到, 不超过, 低于, 以下, 以内, 最高, 最多 (``最高100万元``).
* ``range`` — two bounds: ``3-5亿元``, ``20万-200万元``, ``三到五万元``, ``1万元～2万元``; two adjacent
  numerals (``七八亿元`` → 7亿–8亿, ``二三十万元`` → 20万–30万, ``十七八万``); 几 after a numeral
  (``二十几万`` → 20万–30万); and vague numerals, read as the decade they name: 数/几/若干 × unit →
  [1, 10] × unit (``数亿元`` → 1亿–10亿), 数十/几十 → [10, 100], 数百/几百 → [100, 1000],
  数千/几千 → [1000, 10000], 十几/十数 → [10, 20].

A point value has ``low_fen == high_fen``; ``value_fen`` is ``None`` only for a range.
An amount with a unit of magnitude but no currency (``投资20亿``) is CNY; ``find_amounts``
reports it only when a money word stands next to it (投资, 销售额, 营收, 增资, 融资 …), so ``112万人``
or ``5000平方米`` are not money. Punctuation before the number does not matter: ``项目,10亿元`` and
``签约.20亿元`` read as ``项目，10亿元`` does, while ``1,234`` and ``52.8`` stay one number.
"""

from __future__ import annotations

from longcheng.core.money.amount import CurrencyMismatch, Money, MoneyParseError, ParsedAmount, Qualifier
from longcheng.core.money.capital import to_capital
from longcheng.core.money.currencies import CURRENCIES, CURRENCY_NAMES
from longcheng.core.money.parse import AMOUNT_RE, find_amounts, parse_amount
from longcheng.core.numerals import NumberParseError, parse_number

__all__ = [
    "AMOUNT_RE",
    "CURRENCIES",
    "CURRENCY_NAMES",
    "CurrencyMismatch",
    "Money",
    "MoneyParseError",
    "NumberParseError",
    "ParsedAmount",
    "Qualifier",
    "find_amounts",
    "parse_amount",
    "parse_number",
    "to_capital",
]
