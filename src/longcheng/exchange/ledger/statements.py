"""Bank statement import: match each line by virtual account and the payer's name.

Columns: 流水号, 虚拟账号, 付款人户名, 付款人账号, 金额（元）, 入账时间. The import is all or nothing:
every row is checked first. A line whose 流水号 was imported before is skipped (a statement
imported twice books nothing twice). A matched line credits the bidder's available money; a line
from an account not in the bidder's name (own-account rule), or to an unknown virtual account,
is held in suspense for review; an operator then books it to the bidder or returns it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import SHANGHAI, to_utc
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.tabular import RowReport, cell_text, iter_rows, parse_date_cell
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.ledger.models import BankLine

COLUMNS = ("流水号", "虚拟账号", "付款人户名", "付款人账号", "金额（元）", "入账时间")
STATUS_LABELS = {
    "matched": "已入账",
    "held": "挂账待核（非本人账户）",
    "unknown": "挂账待核（虚拟账号不存在）",
    "booked": "核准入账",
    "returned": "已退回付款人",
}


@dataclass(frozen=True)
class Line:
    bank_ref: str
    virtual_account: str
    payer_name: str
    payer_account: str
    amount_fen: int
    booked_at: datetime


@dataclass
class Outcome:
    matched: int = 0
    held: int = 0
    unknown: int = 0
    duplicates: int = 0
    report: RowReport = field(default_factory=RowReport)


def _amount(text: str) -> int:
    value = Decimal(text.replace(",", ""))
    if value <= 0 or value != value.quantize(Decimal("0.01")):
        raise InvalidOperation
    return int(value * 100)


def _when(value: object) -> datetime:
    if isinstance(value, datetime):
        return to_utc(value.replace(tzinfo=SHANGHAI) if value.tzinfo is None else value)
    text = cell_text(value)
    try:
        return to_utc(datetime.fromisoformat(text).replace(tzinfo=SHANGHAI))
    except ValueError:
        day = parse_date_cell(value)
        assert day is not None
        return to_utc(datetime.combine(day, time(0, 0), tzinfo=SHANGHAI))


def parse(path: Path, *, max_bytes: int) -> tuple[list[Line], RowReport]:
    report, lines = RowReport(), []
    for line_no, row in iter_rows(path, max_bytes=max_bytes):
        report.rows += 1
        missing = [c for c in COLUMNS if not cell_text(row.get(c))]
        if missing:
            report.add(line_no, missing[0], "必填")
            continue
        try:
            amount = _amount(cell_text(row["金额（元）"]))
        except (InvalidOperation, ValueError):
            report.add(line_no, "金额（元）", "须为大于零、最多两位小数的金额")
            continue
        try:
            at = _when(row["入账时间"])
        except (ValueError, AssertionError):
            report.add(line_no, "入账时间", "时间格式应为 2026-12-01 10:30")
            continue
        lines.append(
            Line(
                cell_text(row["流水号"]),
                cell_text(row["虚拟账号"]),
                cell_text(row["付款人户名"]),
                cell_text(row["付款人账号"]),
                amount,
                at,
            )
        )
    return lines, report


def import_file(session: Session, *, actor: Actor, path: Path, max_bytes: int) -> Outcome:
    """Check every row, then book the new ones; nothing is booked if any row is bad."""
    require(actor, perm.LEDGER_MANAGE)
    lines, report = parse(path, max_bytes=max_bytes)
    outcome = Outcome(report=report)
    if not report.ok:
        first = report.errors[0]
        raise ValidationFailed(
            f"银行流水有 {report.error_count} 行有误"
            f"（第 {first.line} 行「{first.column}」：{first.message}），未导入任何一行。",
            code="exchange.statement_invalid",
            details={"errors": [e.__dict__ for e in report.errors]},
        )
    for line in lines:
        status = book_line(session, actor=actor, line=line)
        if status == "duplicate":
            outcome.duplicates += 1
        else:
            setattr(outcome, status, getattr(outcome, status) + 1)
    return outcome


def book_line(session: Session, *, actor: Actor, line: Line) -> str:
    """Book one bank line: ``matched``, ``held``, ``unknown`` or ``duplicate``."""
    if session.scalar(select(BankLine.id).where(BankLine.bank_ref == line.bank_ref)):
        return "duplicate"
    bidder = parties.bidder_by_account(session, line.virtual_account)
    if bidder is None:
        status, credit, note = "unknown", pb.SUSPENSE, "虚拟账号不存在"
    elif line.payer_name.strip() != bidder.name:
        status, credit, note = "held", pb.SUSPENSE, f"付款人「{line.payer_name}」不是竞买人本人"
    else:
        status, credit, note = "matched", pb.available(bidder.id), ""
    row = BankLine(
        bank_ref=line.bank_ref,
        virtual_account=line.virtual_account,
        payer_name=line.payer_name,
        payer_account=line.payer_account,
        amount_fen=line.amount_fen,
        booked_at=line.booked_at,
        status=status,
        bidder_id=bidder.id if bidder else None,
        note=note,
    )
    session.add(row)
    session.flush()
    ledger.post(
        session,
        actor=actor,
        kind="receive" if status == "matched" else "hold",
        ref=f"bank:{line.bank_ref}",
        entries=pb.move(pb.BANK, credit, line.amount_fen),
    )
    return status


def resolve(session: Session, *, actor: Actor, line_id: int, accept: bool, reason: str) -> BankLine:
    """A held line after review: book it to the bidder (accept) or return it to the payer."""
    require(actor, perm.LEDGER_MANAGE)
    row = session.scalar(select(BankLine).where(BankLine.id == line_id).with_for_update())
    if row is None:
        raise NotFound("未找到该银行流水。", code="exchange.bank_line_not_found")
    if row.status not in ("held", "unknown"):
        raise Conflict("该流水不在挂账待核状态。", code="exchange.bank_line_state")
    if len(reason.strip()) < 2:
        raise ValidationFailed("请说明处理理由。", code="exchange.reason_required")
    if accept:
        if row.bidder_id is None:
            raise Conflict("虚拟账号不存在的流水只能退回付款人。", code="exchange.bank_line_unknown")
        ledger.post(
            session,
            actor=actor,
            kind="unhold",
            ref=f"bank:{row.bank_ref}",
            entries=pb.move(pb.SUSPENSE, pb.available(row.bidder_id), row.amount_fen),
        )
        row.status = "booked"
    else:
        ledger.post(
            session,
            actor=actor,
            kind="return",
            ref=f"bank:{row.bank_ref}",
            entries=pb.move(pb.SUSPENSE, pb.BANK, row.amount_fen),
        )
        row.status = "returned"
    row.note = f"{row.note}；{reason.strip()}"[:200]
    session.flush()
    return row


def held(session: Session) -> list[BankLine]:
    stmt = select(BankLine).where(BankLine.status.in_(("held", "unknown"))).order_by(BankLine.id)
    return list(session.scalars(stmt))


def lines_of(session: Session, bidder_id: int) -> list[BankLine]:
    return list(
        session.scalars(select(BankLine).where(BankLine.bidder_id == bidder_id).order_by(BankLine.id.desc()))
    )
