"""Bulk decisions (批量决定) by re-importing the exported queue XLSX, all or nothing.

Staff export a stage queue (``/grants/queue.xlsx``), write 通过 / 退回 / 不予支持 in the 决定 column
(with 决定理由, and 核定金额（元） in 财务审核), and upload the file. Every row is checked first:
the application must exist and be visible, still be in the stage the file shows (阶段), the step
must be allowed, an amount must not exceed the requested or the policy amount, 下达 must not
overspend the budget nor come before the 公示 period ends. When any row is refused nothing is
written and every bad row is listed; otherwise each decision goes through the same service steps
as one made on the page (each audited), and one summary record is added. A row without a
decision is left alone.

A file of more than ``Settings.import_job_rows`` decisions is applied by the job
``grants.decisions`` (``applications.tasks``): it checks the rows in a read-only session with
progress, then checks them again under lock and applies them as here, in one transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import LongchengError
from longcheng.core.tabular import Row, RowReport, cell_text, iter_rows
from longcheng.core.workdays import default_calendar
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application, StageEvent
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import decide
from longcheng.grants.applications.service.base import ENTITY, visible_to
from longcheng.grants.engine.bank import yuan_to_fen
from longcheng.grants.engine.stages import machine
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes.models import Programme
from longcheng.grants.publicity import service as publicity

MAX_ROWS = 10_000
NUMBER, STAGE, AMOUNT = "申报编号", "阶段", "核定金额（元）"
DECISION, REASON = "决定", "决定理由"
RETURN_DAYS = 5  # working days to correct a returned application, as on the page
DECISIONS = {"通过": "pass", "退回": "returned", "退回补正": "returned", "不予支持": "rejected"}


@dataclass(frozen=True)
class Decision:
    line: int
    number: str
    to_stage: str
    reason: str
    amount_fen: int | None
    app: Application = field(compare=False, repr=False)


@dataclass
class BulkResult:
    report: RowReport
    applied: int = 0
    by_stage: dict[str, int] | None = None


@dataclass(frozen=True)
class Upload:
    """The rows of a file that carry a decision, parsed once (a job checks them, then applies them)."""

    rows: list[Row]
    overflow_line: int | None = None  # the first decision row past MAX_ROWS

    def new_report(self) -> RowReport:
        report = RowReport()
        if self.overflow_line is not None:
            report.add(self.overflow_line, "", f"一次最多导入 {MAX_ROWS} 行。")
        report.rows = len(self.rows)
        return report


Progress = Callable[[int, int], None]  # (rows checked, rows in all)
PROGRESS_EVERY = 1000


def read_file(path: Path, *, max_bytes: int) -> Upload:
    """The decision rows of the file (a row without 决定 is left alone)."""
    rows: list[Row] = []
    for line, cells in iter_rows(path, max_bytes=max_bytes):
        if not cell_text(cells.get(DECISION)):
            continue
        if len(rows) >= MAX_ROWS:
            return Upload(rows, line)
        rows.append((line, cells))
    return Upload(rows)


def count_decisions(path: Path, *, max_bytes: int, up_to: int) -> int:
    """How many rows carry a decision, counting no further than ``up_to`` (a page deciding
    whether the file is applied at once or by a job)."""
    count = 0
    for _, cells in iter_rows(path, max_bytes=max_bytes):
        if cell_text(cells.get(DECISION)):
            count += 1
            if count >= up_to:
                break
    return count


def check_rows(
    session: Session,
    *,
    actor: Actor,
    upload: Upload,
    today: date | None = None,
    lock: bool = True,
    progress: Progress | None = None,
) -> tuple[list[Decision], RowReport]:
    """Check every row; nothing is written (with ``lock`` the applications named are locked)."""
    require(actor, perm.APP_REVIEW)
    report, rows = upload.new_report(), upload.rows
    apps = _prefetch(session, actor, [cell_text(c.get(NUMBER)).upper() for _, c in rows], lock=lock)
    ids = {a.programme_id for a in apps.values()}
    workflows = dict(
        session.execute(select(Programme.id, Programme.workflow).where(Programme.id.in_(ids))).all()
    )
    out, seen = [], set[str]()
    spend: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for done, (line, cells) in enumerate(rows, 1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, len(rows))
        number = cell_text(cells.get(NUMBER)).upper()
        try:
            if number in seen:
                raise _RowRefused(NUMBER, f"申报“{number}”在文件中出现了不止一次。")
            seen.add(number)
            decision = _check_row(session, apps.get(number), workflows, (line, cells), today or local_today())
        except _RowRefused as exc:
            report.add(line, exc.column, exc.message)
            continue
        if decision.to_stage == "decided":
            app = apps[number]
            spend[(app.programme_id, app.fiscal_year)].append((line, app.approved_fen or 0))
        out.append(decision)
    _check_budgets(session, actor, spend, report)
    return out, report


def _prefetch(session: Session, actor: Actor, numbers: list[str], *, lock: bool) -> dict[str, Application]:
    """The applications the actor may see among ``numbers`` (locked with ``lock``), in a few queries."""
    found: dict[str, Application] = {}
    unique = sorted(set(numbers))
    for start in range(0, len(unique), 1000):
        chunk = unique[start : start + 1000]
        stmt = select(Application).where(Application.number.in_(chunk), visible_to(actor))
        found.update((a.number, a) for a in session.scalars(stmt.with_for_update() if lock else stmt))
    return found


class _RowRefused(Exception):
    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _check_row(
    session: Session, app: Application | None, workflows: dict[int, str], row: Row, today: date
) -> Decision:
    line, cells = row
    word = cell_text(cells.get(DECISION))
    if word not in DECISIONS:
        raise _RowRefused(DECISION, f"决定“{word}”无法识别，请填写“通过”“退回”或“不予支持”。")
    if app is None:
        number = cell_text(cells.get(NUMBER)).upper()
        raise _RowRefused(NUMBER, f"未找到申报“{number}”，或您无权处理。")
    m = machine()
    shown, now = cell_text(cells.get(STAGE)), m.label(app.stage)
    if shown != now:
        raise _RowRefused(STAGE, f"导出后阶段已变化：文件中为“{shown}”，现为“{now}”。请重新导出后再填写。")
    to_stage = _target(workflows[app.programme_id], app, DECISIONS[word])
    reason = cell_text(cells.get(REASON))
    if to_stage in ("returned", "rejected") and len(reason) < 2:
        raise _RowRefused(REASON, "退回或不予支持须写明理由。")
    amount = _amount(app, cells.get(AMOUNT))
    if to_stage == "proposed" and (amount or app.approved_fen) is None:
        raise _RowRefused(AMOUNT, "财务审核通过须填写核定金额（元）。")
    if to_stage == "decided":
        _check_publicity(session, app, today)
    return Decision(line, app.number, to_stage, reason or "批量决定", amount, app)


def _target(workflow: str, app: Application, wanted: str) -> str:
    steps = machine().workflow(workflow).next_for(app.stage, "staff")
    if wanted == "pass":
        forward = [s for s in steps if s not in ("returned", "rejected")]
        if forward:
            return forward[0]
    elif wanted in steps:
        return wanted
    label = machine().label(app.stage)
    raise _RowRefused(DECISION, f"处于“{label}”阶段的申报不能作此决定。")


def _amount(app: Application, cell: object) -> int | None:
    """The approved amount typed in 财务审核; elsewhere the column must be left as exported."""
    text = cell_text(cell).replace(",", "")
    if not text:
        return None
    try:
        fen = yuan_to_fen(text)
    except ValueError as exc:
        raise _RowRefused(AMOUNT, str(exc)) from None
    if app.stage != "financial_review":
        if fen != app.approved_fen:
            raise _RowRefused(AMOUNT, "只有财务审核阶段可以核定金额，请勿修改其他阶段的核定金额。")
        return None
    if fen <= 0:
        raise _RowRefused(AMOUNT, "核定金额须大于零。")
    if fen > app.requested_fen:
        raise _RowRefused(
            AMOUNT, f"核定金额 {fen / 100:,.2f} 元超过申请金额 {app.requested_fen / 100:,.2f} 元。"
        )
    if app.policy_fen is not None and fen > app.policy_fen:
        raise _RowRefused(
            AMOUNT, f"核定金额 {fen / 100:,.2f} 元超过政策测算金额 {app.policy_fen / 100:,.2f} 元。"
        )
    return fen


def _check_publicity(session: Session, app: Application, today: date) -> None:
    ends = publicity.ends_on(session, app)
    if today <= ends:
        raise _RowRefused(DECISION, f"公示期至 {ends.isoformat()} 结束，公示期满后方可下达。")
    if publicity.unresolved(session, app.id):
        raise _RowRefused(DECISION, "该申报有尚未办结的公示异议，不能下达。")


def _check_budgets(
    session: Session, actor: Actor, spend: dict[tuple[int, int], list[tuple[int, int]]], report: RowReport
) -> None:
    """The 下达 rows of one programme-year must fit its available budget together."""
    for (programme_id, year), rows in spend.items():
        available = ledger.balances(session, actor=actor, programme_id=programme_id, fiscal_year=year)
        total = sum(fen for _, fen in rows)
        if total > available.available_fen:
            programme = session.get(Programme, programme_id)
            name = programme.name if programme else ""
            for line, _ in rows:
                report.add(
                    line,
                    DECISION,
                    f"{name}{year}年度可用预算 {available.available_fen / 100:,.2f} 元，"
                    f"本文件下达合计 {total / 100:,.2f} 元，超出预算。",
                )


def import_decisions(
    session: Session, *, actor: Actor, path: Path, max_bytes: int, name: str = "", today: date | None = None
) -> BulkResult:
    """Apply every decision of the file, or none when any row is refused (``report.ok`` False)."""
    require(actor, perm.APP_REVIEW)
    upload = read_file(path, max_bytes=max_bytes)
    return apply_decisions(session, actor=actor, upload=upload, name=name, today=today)


def apply_decisions(
    session: Session,
    *,
    actor: Actor,
    upload: Upload,
    name: str = "",
    today: date | None = None,
    job_id: int | None = None,
) -> BulkResult:
    """Check the rows under lock, then apply them all, or none when any row is refused; the
    summary record names the file (and the job that ran it)."""
    require(actor, perm.APP_REVIEW)
    decisions, report = check_rows(session, actor=actor, upload=upload, today=today)
    if not report.ok:
        return BulkResult(report)
    if not decisions:
        report.add(0, DECISION, "文件中没有填写任何决定。")
        return BulkResult(report)
    savepoint = session.begin_nested()
    by_stage: dict[str, int] = defaultdict(int)
    moves: list[audit.Change] = []
    for d in decisions:
        try:
            if d.to_stage == "decided" or d.amount_fen is not None:
                _apply(session, actor, d)
            else:
                moves.append(_move(session, actor, d))
        except LongchengError as exc:
            report.add(d.line, DECISION, exc.message_text)
            savepoint.rollback()
            return BulkResult(report)
        by_stage[machine().label(d.to_stage)] += 1
    session.flush()
    audit.record_many(session, actor=actor, changes=moves)
    savepoint.commit()
    _record(session, actor, name, dict(by_stage), job_id)
    return BulkResult(report, len(decisions), dict(by_stage))


def summary(result: BulkResult) -> str:
    """What was done, as the page and the command say it."""
    stages = "；".join(f"转入“{k}” {v} 件" for k, v in (result.by_stage or {}).items())
    return f"已执行 {result.applied} 项决定：{stages}。"


def _apply(session: Session, actor: Actor, d: Decision) -> None:
    """Amounts and 下达 go through the one-by-one service steps (they touch the ledger)."""
    if d.amount_fen is not None:
        decide.set_amount(session, actor=actor, number=d.number, approved_fen=d.amount_fen)
    decide.move(session, actor=actor, number=d.number, data=MoveIn(to_stage=d.to_stage, reason=d.reason))


def _move(session: Session, actor: Actor, d: Decision) -> audit.Change:
    """A plain stage step, already checked as ``decide.move`` checks it; its audit record is
    returned to be written with the others in one append to the chain."""
    app = d.app
    before, now = app.stage, utcnow()
    if d.to_stage == "returned":
        app.return_reason = d.reason
        app.return_due = default_calendar(allow_uncovered=True).add_working_days(local_today(), RETURN_DAYS)
    app.stage, app.stage_entered_at = d.to_stage, now
    session.add(
        StageEvent(
            application_id=app.id,
            from_stage=before,
            to_stage=d.to_stage,
            reason=d.reason,
            actor=actor.label,
            at=now,
        )
    )
    labels = machine().labels
    return audit.Change(
        action="grants.application.stage",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"阶段": labels.get(before, before)},
        after={"阶段": labels.get(d.to_stage, d.to_stage)},
        reason=d.reason,
    )


def _record(session: Session, actor: Actor, name: str, by_stage: dict[str, int], job_id: int | None) -> None:
    job = {"后台任务": job_id} if job_id is not None else {}
    audit.record(
        session,
        actor=actor,
        action="grants.application.bulk",
        entity_type=ENTITY,
        entity_id="批量决定",
        after={"文件": name[:120], "决定数": sum(by_stage.values()), **by_stage, **job},
    )
