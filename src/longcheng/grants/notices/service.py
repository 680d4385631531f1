"""What the firm is told: the decision and payment notices (PDF, a firm sees its own only), and
its subscriptions to programmes with the window reminders (opening in 3 days, 3 days before the
deadline) sent through the notification centre by the ``grants.window_reminders`` job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import format_local, local_date, local_today, to_local, utcnow
from longcheng.core.errors import Conflict
from longcheng.core.money.capital import to_capital
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application, StageEvent
from longcheng.grants.applications.service.base import get
from longcheng.grants.notices.models import Subscription
from longcheng.grants.notices.pdf import Notice, render
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.service import PayableStatus
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.models import Programme, Window
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source

DECIDED = ("decided", "rejected")


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f} 元"


def _programme(session: Session, app: Application) -> Programme:
    programme = session.get(Programme, app.programme_id)
    assert programme is not None
    return programme


def _decision_event(session: Session, app: Application) -> StageEvent | None:
    stmt = (
        select(StageEvent)
        .where(StageEvent.application_id == app.id, StageEvent.to_stage == app.stage)
        .order_by(StageEvent.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def decision_notice(session: Session, *, actor: Actor, number: str) -> tuple[str, bytes]:
    """决定通知书 of a decided (下达) or refused (不予支持) application, as ``(file name, PDF)``."""
    app = get(session, actor=actor, number=number)
    if app.stage not in DECIDED:
        raise Conflict("该申报尚未作出决定，暂无决定通知书。", code="grants.no_decision")
    programme = _programme(session, app)
    event = _decision_event(session, app)
    on = local_date(event.at) if event else local_today()
    head = [
        ("申报编号", app.number),
        ("专项", programme.name),
        ("申报单位", app.applicant_name),
        ("统一社会信用代码", app.applicant_uscc),
        ("申请金额", _yuan(app.requested_fen)),
    ]
    if app.stage == "decided":
        amount = app.approved_fen or 0
        rows = head + [
            ("核定支持金额（小写）", _yuan(amount)),
            ("核定支持金额（大写）", to_capital(amount)),
            ("政策依据", programme.policy_clause or "本专项申报指南"),
            ("支付方式", programme.payment_mode_label),
            ("下达日期", _cn_date(on)),
        ]
        opening = f"你单位申报的“{programme.name}”项目，经受理、审核、公示，现决定予以支持，资金下达如下："
        closing = "请留意资金支付进度；先建后补项目须经验收合格后支付。"
    else:
        rows = head + [
            ("决定", "不予支持"),
            ("理由", event.reason if event else app.return_reason),
            ("决定日期", _cn_date(on)),
        ]
        opening = f"你单位申报的“{programme.name}”项目，经审核，决定不予支持，理由如下："
        closing = "如对本决定有异议，可自收到本通知之日起依法申请行政复议或者提起行政诉讼。"
    notice = Notice(
        "资金支持决定通知书",
        f"编号：{app.number}-JD",
        app.applicant_name,
        opening,
        rows,
        closing,
        programme.department,
        _cn_date(on),
    )
    return f"决定通知书-{app.number}.pdf", render(notice)


def _paid(session: Session, app: Application) -> list[PayableStatus]:
    status = payments.payable_status_unchecked(
        session, source_kind="grants.application", source_ref=app.number
    )
    return [s for s in status if s.state == "paid"]


def _local_text(at: datetime | None) -> str:
    return to_local(at).strftime("%Y-%m-%d %H:%M") if at else ""


def payment_notice(session: Session, *, actor: Actor, number: str) -> tuple[str, bytes]:
    """支付通知书 once the bank has confirmed the payment, as ``(file name, PDF)``."""
    app = get(session, actor=actor, number=number)
    paid = _paid(session, app)
    if not paid:
        raise Conflict("该申报的资金尚未支付到账，暂无支付通知书。", code="grants.not_paid")
    programme = _programme(session, app)
    total = sum(p.amount_fen for p in paid)
    last = max((p.paid_at for p in paid if p.paid_at), default=None)
    rows = [
        ("申报编号", app.number),
        ("专项", programme.name),
        ("收款单位", app.applicant_name),
        ("开户行", app.bank_name or "—"),
        ("收款账号", app.account_masked or "—"),
        ("支付金额（小写）", _yuan(total)),
        ("支付金额（大写）", to_capital(total)),
        ("支付批次", "、".join(p.batch_number or "—" for p in paid)),
        ("支付参考号", "、".join(p.reference for p in paid)),
        ("支付时间", _local_text(last)),
    ]
    on = local_date(last) if last else local_today()
    notice = Notice(
        "资金支付通知书",
        f"编号：{app.number}-ZF",
        app.applicant_name,
        f"你单位“{programme.name}”支持资金已由财政支付，银行回单确认到账，明细如下：",
        rows,
        "请核对到账金额；如有不符，请与主管部门联系。",
        programme.department,
        _cn_date(on),
    )
    return f"支付通知书-{app.number}.pdf", render(notice)


# Subscriptions and window reminders ----------------------------------------------------------

SUBSCRIPTION = "grants_subscription"
REMIND_DAYS = 3


def _subscriber(actor: Actor) -> str:
    require(actor, perm.APPLY)
    if not actor.org_uscc:
        raise Conflict("您的账号未关联企业，无法订阅。", code="grants.no_firm")
    return actor.org_uscc


def is_subscribed(session: Session, *, actor: Actor, programme_id: int) -> bool:
    if not actor.org_uscc:
        return False
    stmt = select(Subscription.id).where(
        Subscription.programme_id == programme_id, Subscription.uscc == actor.org_uscc
    )
    return session.scalar(stmt) is not None


def subscribe(session: Session, *, actor: Actor, programme_code: str) -> Subscription:
    """The firm follows the programme (once; subscribing again changes nothing)."""
    uscc = _subscriber(actor)
    programme = programmes.get(session, actor=actor, code=programme_code)
    stmt = select(Subscription).where(Subscription.programme_id == programme.id, Subscription.uscc == uscc)
    existing = session.scalar(stmt)
    if existing is not None:
        return existing
    row = Subscription(programme_id=programme.id, uscc=uscc, created_by=actor.label)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.subscription.create",
        entity_type=SUBSCRIPTION,
        entity_id=programme.code,
        after={"专项": programme.name, "企业信用代码": uscc},
    )
    return row


def unsubscribe(session: Session, *, actor: Actor, programme_code: str) -> None:
    uscc = _subscriber(actor)
    programme = programmes.get(session, actor=actor, code=programme_code)
    stmt = select(Subscription).where(Subscription.programme_id == programme.id, Subscription.uscc == uscc)
    row = session.scalar(stmt)
    if row is None:
        return
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.subscription.delete",
        entity_type=SUBSCRIPTION,
        entity_id=programme.code,
        before={"专项": programme.name, "企业信用代码": uscc},
    )


@dataclass(frozen=True)
class Reminder:
    window: Window
    programme: Programme
    kind: str  # opening or closing
    days: int


def due_reminders(session: Session, now: datetime) -> list[Reminder]:
    """Windows opening within 3 days (not yet open) and open windows closing within 3 days."""
    today = local_today(now)
    stmt = (
        select(Window, Programme)
        .join(Programme, Programme.id == Window.programme_id)
        .where(Window.closes_at >= now, Window.opens_at <= now + timedelta(days=REMIND_DAYS + 1))
    )
    out = []
    for window, programme in session.execute(stmt.order_by(Window.id)):
        if window.state_at(now) == "upcoming":
            days = (local_date(window.opens_at) - today).days
            if 0 < days <= REMIND_DAYS:
                out.append(Reminder(window, programme, "opening", days))
        elif window.state_at(now) == "open":
            days = (local_date(window.closes_at) - today).days
            if 0 <= days <= REMIND_DAYS:
                out.append(Reminder(window, programme, "closing", days))
    return out


def _text(r: Reminder) -> tuple[str, str]:
    name = f"{r.programme.name}（{r.window.name}）"
    if r.kind == "opening":
        when = format_local(r.window.opens_at)
        return f"申报窗口将于{r.days}天后开放：{name}", f"开放时间：{when}（北京时间）。请提前准备申报材料。"
    when = format_local(r.window.closes_at)
    head = "今天截止" if r.days == 0 else f"截止前{r.days}天"
    return f"申报{head}：{name}", f"截止时间：{when}（北京时间），逾期系统将不再受理。"


def _applied(session: Session, window_id: int) -> set[str]:
    stmt = select(Application.applicant_uscc).where(
        Application.window_id == window_id, Application.stage != "draft"
    )
    return set(session.scalars(stmt))


def remind_windows(session: Session, *, actor: Actor, now: datetime | None = None) -> int:
    """Tell each subscribed firm once per window when it opens within 3 days and once when it
    closes within 3 days (firms that already submitted are not reminded of the deadline);
    returns the messages written."""
    at, written = now or utcnow(), 0
    for r in due_reminders(session, at):
        usccs = session.scalars(select(Subscription.uscc).where(Subscription.programme_id == r.programme.id))
        skip = _applied(session, r.window.id) if r.kind == "closing" else set()
        title, body = _text(r)
        for uscc in sorted(set(usccs) - skip):
            written += len(
                notifications.notify(
                    session,
                    actor=actor,
                    recipients=Recipients(uscc=uscc),
                    kind=f"grants.window.{r.kind}",
                    title=title,
                    body=body,
                    link=f"/grants/programmes/{r.programme.code}",
                    source=Source("grants", "grants_window", str(r.window.id)),
                    dedupe_key=f"grants.window:{r.window.id}:{r.kind}",
                )
            )
    return written
