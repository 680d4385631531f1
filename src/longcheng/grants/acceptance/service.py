"""先建后补 acceptance (验收): a decided after-acceptance application gets a task; the firm uploads
completion evidence (checked like application materials) and submits it; the inspection team
records the result. Only a passed inspection moves the award committed → payable in the ledger;
a release without one is refused (``grants.acceptance_not_passed``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.workdays import default_calendar
from longcheng.grants import permissions as perm
from longcheng.grants.acceptance.models import EVIDENCE, RESULTS, AcceptanceFile, AcceptanceTask, Inspection
from longcheng.grants.acceptance.progress import service as progress
from longcheng.grants.acceptance.schemas import InspectionIn
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import get
from longcheng.grants.attachments import service as attachments
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.programmes.models import Programme

ENTITY = "grants_acceptance"


class NotPassed(Conflict):
    code = "grants.acceptance_not_passed"
    message = "先建后补项目须验收通过后方可支付，未作任何修改。"


def open_task(session: Session, *, actor: Actor, app: Application) -> AcceptanceTask:
    """The acceptance task of a just-decided 先建后补 application (called by 下达)."""
    task = AcceptanceTask(application_id=app.id, state="open")
    session.add(task)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.acceptance.open",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"状态": task.state_label},
    )
    progress.schedule(session, actor=actor, app=app, task=task)
    return task


def task_of(
    session: Session, *, actor: Actor, number: str, lock: bool = False
) -> tuple[Application, AcceptanceTask]:
    app = get(session, actor=actor, number=number, lock=lock)
    stmt = select(AcceptanceTask).where(AcceptanceTask.application_id == app.id)
    if lock:
        stmt = stmt.with_for_update()
    task = session.scalar(stmt)
    if task is None:
        raise NotFound(
            "该申报没有验收任务（仅已下达的先建后补项目需要验收）。", code="grants.acceptance_not_found"
        )
    return app, task


def evidence(session: Session, task_id: int) -> dict[str, AcceptanceFile]:
    """The newest upload of each evidence item."""
    rows = attachments.attachments_of(session, AcceptanceFile, AcceptanceFile.task_id, task_id)
    return {f.item: f for f in rows}


def inspections(session: Session, task_id: int) -> list[Inspection]:
    stmt = select(Inspection).where(Inspection.task_id == task_id).order_by(Inspection.id)
    return list(session.scalars(stmt))


def upload(
    session: Session, *, actor: Actor, number: str, item: str, name: str, data: bytes, root: Path
) -> AcceptanceFile:
    """Check and keep one evidence file (real type by its bytes, size, zip bomb)."""
    require(actor, perm.APPLY)
    app, task = task_of(session, actor=actor, number=number)
    if task.state not in ("open", "rectify"):
        raise Conflict("验收材料已提交，不能再上传。", code="grants.acceptance_locked")
    spec = EVIDENCE.get(item)
    if spec is None:
        raise ValidationFailed(f"验收材料清单中没有“{item}”这一项。", code="grants.unknown_item")
    owned = AcceptanceFile(task_id=task.id, item=item)
    row = attachments.attach(session, owned, actor=actor, name=name, data=data, root=root, spec=spec)
    audit.record(
        session,
        actor=actor,
        action="grants.acceptance.upload",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"材料": str(spec["label"]), "文件": attachments.described(row)},
    )
    return row


def submit(session: Session, *, actor: Actor, number: str) -> AcceptanceTask:
    """The firm asks for inspection; every evidence item must be there."""
    require(actor, perm.APPLY)
    app, task = task_of(session, actor=actor, number=number, lock=True)
    if task.state not in ("open", "rectify"):
        raise Conflict("验收材料已提交，请等待现场验收。", code="grants.acceptance_locked")
    have = evidence(session, task.id)
    missing = {k: f"请上传{v['label']}" for k, v in EVIDENCE.items() if k not in have}
    if missing:
        names = "、".join(str(EVIDENCE[k]["label"]) for k in missing)
        raise ValidationFailed(
            f"验收材料不全：缺少{names}。", code="grants.evidence_missing", details=missing
        )
    before = task.state_label
    task.state, task.submitted_at = "submitted", utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.acceptance.submit",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"状态": before},
        after={"状态": task.state_label},
    )
    return task


def inspect(session: Session, *, actor: Actor, number: str, data: InspectionIn) -> Inspection:
    """Record the inspection; pass releases the award, rectify sets a deadline in working days."""
    require(actor, perm.ACCEPTANCE_INSPECT)
    app, task = task_of(session, actor=actor, number=number, lock=True)
    if task.state != "submitted":
        raise Conflict("企业尚未提交验收材料，不能记录验收结果。", code="grants.acceptance_not_submitted")
    due = None
    if data.result == "rectify" and data.rectify_working_days:
        due = default_calendar(allow_uncovered=True).add_working_days(
            local_today(), data.rectify_working_days
        )
    row = Inspection(
        task_id=task.id,
        inspected_on=data.inspected_on,
        members="、".join(m.strip() for m in data.members if m.strip())[:500],
        findings=data.findings.strip(),
        result=data.result,
        rectify_due=due,
        recorded_by=actor.label,
    )
    session.add(row)
    before = task.state_label
    task.state = {"pass": "passed", "fail": "failed", "rectify": "rectify"}[data.result]
    task.rectify_due = due
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.acceptance.inspect",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"状态": before},
        after={
            "状态": task.state_label,
            "验收结论": RESULTS[data.result],
            "验收组成员": row.members,
            "整改期限": due.isoformat() if due else "",
        },
    )
    if data.result == "pass":
        release(session, actor=actor, number=number)
    if data.result == "fail":
        _give_back(session, actor, app)
    return row


def _give_back(session: Session, actor: Actor, app: Application) -> None:
    """A failed inspection: the committed award goes back to the programme's available budget."""
    amount = app.approved_fen or 0
    posting = ledger.release_commitment(
        session,
        actor=actor,
        programme_id=app.programme_id,
        fiscal_year=app.fiscal_year,
        amount_fen=amount,
        source=("grants.application", app.number),
        memo=f"{app.applicant_name} 验收不通过，释放承诺资金",
    )
    if posting is None:
        return
    audit.record(
        session,
        actor=actor,
        action="grants.acceptance.release_commitment",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"已承诺": f"{amount / 100:,.2f} 元"},
        after={"退回可用预算": f"{amount / 100:,.2f} 元"},
    )


def release(session: Session, *, actor: Actor, number: str) -> int:
    """Make the award payable (committed → payable); refused unless the inspection passed.
    Idempotent: a second release returns the same payable."""
    require(actor, perm.ACCEPTANCE_INSPECT)
    app, task = task_of(session, actor=actor, number=number, lock=True)
    if task.state != "passed":
        raise NotPassed(f"先建后补项目须验收通过后方可支付（当前：{task.state_label}），未作任何修改。")
    if not app.account_token:
        raise Conflict("企业未填写收款账户，不能支付。", code="grants.no_account")
    programme = session.get(Programme, app.programme_id)
    assert programme is not None
    source = ("grants.application", app.number)
    existing = payments.payable_status_unchecked(session, source_kind=source[0], source_ref=source[1])
    if existing:
        return existing[0].id
    return payments.create_payable(
        session,
        actor=actor,
        programme_id=programme.id,
        fiscal_year=app.fiscal_year,
        payee_name=app.applicant_name,
        payee_uscc=app.applicant_uscc,
        payee_account_token=app.account_token,
        payee_bank=app.bank_name or "未填写",
        amount_fen=app.approved_fen or 0,
        source=source,
        idempotency_key=f"grants.application:{app.number}",
        memo=f"{programme.name} {app.number}（验收通过）",
        commit_first=False,
    ).id
