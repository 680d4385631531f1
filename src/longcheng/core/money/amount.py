"""Money as a value: integer fen (分) plus an ISO 4217 currency, and what the parser returns.

``Money`` is exact (no float anywhere) and refuses to mix currencies; ``ParsedAmount`` is one
amount found in a text, with bounds, currency, ``Qualifier`` and where it stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from longcheng.core.errors import LongchengError
from longcheng.core.money.currencies import CURRENCY_NAMES


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
MAX_FEN = 10**20  # a trillion 亿 yuan: anything larger is a run of digits, not money
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
