"""Reading a bank's return file: each line's payment reference, amount and result.

Columns (by name): 付款参考号, 金额（元）, 结果 (成功/失败), 说明 (optional). Amounts are in yuan
with at most two decimals; they are turned into integer fen exactly (no floats).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

OK_WORDS = frozenset({"成功", "已支付", "success", "ok", "成功支付"})
FAIL_WORDS = frozenset({"失败", "退回", "failed", "fail", "退票"})


@dataclass(frozen=True)
class ReturnLine:
    line: int
    reference: str
    amount_fen: int
    paid: bool
    note: str


@dataclass(frozen=True)
class LineProblem:
    line: int
    reference: str
    message: str


def yuan_to_fen(text: str) -> int:
    cleaned = text.replace(",", "").replace("，", "").replace("元", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"金额“{text}”无法识别") from None
    fen = value * 100
    if fen != fen.to_integral_value() or value < 0:
        raise ValueError(f"金额“{text}”须为非负数且最多两位小数")
    return int(fen)


def parse(rows: Iterable[tuple[int, dict[str, str]]]) -> tuple[list[ReturnLine], list[LineProblem]]:
    lines: list[ReturnLine] = []
    problems: list[LineProblem] = []
    for line, cells in rows:
        ref = cells.get("付款参考号", "").strip().upper()
        result = cells.get("结果", "").strip().lower()
        if not ref:
            problems.append(LineProblem(line, "", "缺少付款参考号"))
            continue
        try:
            amount = yuan_to_fen(cells.get("金额（元）", "") or cells.get("金额", ""))
        except ValueError as exc:
            problems.append(LineProblem(line, ref, str(exc)))
            continue
        if result not in OK_WORDS | FAIL_WORDS:
            problems.append(
                LineProblem(line, ref, f"结果“{cells.get('结果', '')}”无法识别，应为“成功”或“失败”")
            )
            continue
        lines.append(ReturnLine(line, ref, amount, result in OK_WORDS, cells.get("说明", "").strip()))
    return lines, problems
