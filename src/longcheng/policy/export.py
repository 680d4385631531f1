"""XLSX exports of the policy module: who qualifies, a run's notification list, the 免申即享 list.

Amounts are written as exact decimals of yuan (``Decimal``, shown ``#,##0.00``), never floats,
so that a sum in Excel equals the platform's total to the fen. Columns are stable.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from longcheng.policy.awards.service import STATUS_LABELS, AwardRow
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.pack import Clause
from longcheng.policy.models import Notification, Result, Run
from longcheng.policy.service import get_pack
from longcheng.registry import reference as ref

KIND_LABELS = {"new": "新符合", "dropped": "不再符合", "changed": "金额变化"}
MONEY_FORMAT = "#,##0.00"


def yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen_to_yuan(fen))


def write_sheet(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], money: Sequence[int] = ()
) -> bytes:
    """One sheet, bold frozen header, decimal money columns (by index) formatted as 元."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        cells: list[Any] = list(row)
        for index in money:
            if cells[index] is not None:
                cell = WriteOnlyCell(ws, value=cells[index])
                cell.number_format = MONEY_FORMAT
                cells[index] = cell
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def results_xlsx(clause: Clause, run: Run, rows: Iterable[Result]) -> bytes:
    headers = ["统一社会信用代码", "企业名称", "所属区", "金额（元）", "条文解读", "测算依据", "说明"]
    body = (
        [
            r.uscc,
            r.org_name,
            ref.place_name(r.district, keep_unknown=True),
            yuan(r.amount_fen),
            r.reading,
            "；".join(f"{k} {v}" for k, v in r.basis_data.items()),
            r.reason,
        ]
        for r in rows
    )
    return write_sheet(f"{clause.title}（{run.period}）", headers, body, money=(3,))


def changes_xlsx(run: Run, rows: Iterable[Notification]) -> bytes:
    pack = get_pack(run.pack_id)
    headers = [
        "类型",
        "统一社会信用代码",
        "企业名称",
        "所属区",
        "条款",
        "原金额（元）",
        "新金额（元）",
        "原因",
    ]
    body = (
        [
            KIND_LABELS[n.kind],
            n.uscc,
            n.org_name,
            ref.place_name(n.district, keep_unknown=True),
            pack.clauses[n.clause_id].title if n.clause_id in pack.clauses else n.clause_id,
            yuan(n.previous_amount_fen),
            yuan(n.amount_fen),
            n.reason,
        ]
        for n in rows
    )
    return write_sheet(f"精准推送名单（第{run.id}次测算）", headers, body, money=(5, 6))


def awards_xlsx(clause: Clause, rows: Iterable[AwardRow]) -> bytes:
    headers = [
        "统一社会信用代码",
        "企业名称",
        "所属区",
        "测算金额（元）",
        "状态",
        "已确认金额（元）",
        "确认人",
        "备注",
    ]
    body = (
        [
            r.result.uscc,
            r.result.org_name,
            ref.place_name(r.result.district, keep_unknown=True),
            yuan(r.result.amount_fen),
            STATUS_LABELS[r.status],
            yuan(r.award.amount_fen) if r.award else None,
            r.award.decided_by if r.award else "",
            r.award.note if r.award else "",
        ]
        for r in rows
    )
    return write_sheet(f"免申即享·{clause.title}", headers, body, money=(3, 5))
