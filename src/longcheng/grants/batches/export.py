"""The bank's payment file: one row per payee, the amount in yuan and in capitals (大写)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from longcheng.core.exporting import Cell, write_xlsx
from longcheng.core.money import to_capital

HEADERS = ("序号", "付款参考号", "收款人名称", "收款账号", "开户行", "金额（元）", "金额大写", "用途")
RETURN_HEADERS = ("付款参考号", "金额（元）", "结果", "说明")


@dataclass(frozen=True)
class BankRow:
    reference: str
    payee_name: str
    account: str
    bank: str
    amount_fen: int
    purpose: str


def yuan_text(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _rows(rows: Iterable[BankRow]) -> Iterator[list[Cell]]:
    for n, r in enumerate(rows, start=1):
        yield [
            n,
            r.reference,
            r.payee_name,
            r.account,
            r.bank,
            yuan_text(r.amount_fen),
            to_capital(r.amount_fen),
            r.purpose,
        ]


def bank_xlsx(batch_number: str, rows: Iterable[BankRow]) -> bytes:
    return write_xlsx(f"支付批次{batch_number}", HEADERS, _rows(rows))
