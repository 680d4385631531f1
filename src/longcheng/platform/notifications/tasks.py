"""Job kinds of the notification centre: ``notifications.send_email`` and ``notifications.digest``.

``send_email`` sends the pending messages it names over one SMTP connection. A message that
fails counts an attempt; while attempts remain it is tried again by a new job at a deadline
(``SMTP_RETRY_SECONDS``, doubling), else it is marked failed and listed for admins. Only
messages still pending are sent, so a job run twice never sends a message twice.
``digest`` sends each digest-mode user one e-mail listing their messages waiting for it.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.notifications.models import EmailState, Notification, NotificationPref
from longcheng.platform.notifications.service import DIGEST, ENTITY, SEND_EMAIL
from longcheng.platform.schedules import service as schedule_service

SUBJECT_PREFIX = "【龙城】"
FOOTER = "\n\n——\n龙城创新与招商服务平台（本邮件由系统自动发送，请登录平台查看详情）"


@dataclass(frozen=True)
class Mail:
    ids: tuple[int, ...]
    to: str
    subject: str
    body: str


def _connect(settings: Settings) -> smtplib.SMTP:
    url = urlsplit(settings.smtp_url or "")
    if url.scheme not in ("smtp", "smtps") or not url.hostname:
        raise kinds.JobFailed("LONGCHENG_SMTP_URL 格式不正确，应为 smtp://用户:密码@主机:端口 或 smtps://…。")
    timeout = settings.smtp_timeout_seconds
    if url.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            url.hostname, url.port or 465, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(url.hostname, url.port or 25, timeout=timeout)
        server.ehlo()
        if server.has_extn("starttls"):
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
    if url.username:
        server.login(unquote(url.username), unquote(url.password or ""))
    return server


def _message(settings: Settings, mail: Mail) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = SUBJECT_PREFIX + mail.subject
    msg["From"] = settings.smtp_from
    msg["To"] = mail.to
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="longcheng")
    msg.set_content(mail.body + FOOTER, charset="utf-8")
    return msg


def deliver(settings: Settings, mails: list[Mail]) -> dict[int, str]:
    """Send ``mails`` over one connection; returns the error text per failed message id."""
    errors: dict[int, str] = {}
    try:
        server = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        return {i: f"无法连接邮件服务器：{exc}" for m in mails for i in m.ids}
    with server:
        for mail in mails:
            try:
                server.send_message(_message(settings, mail))
            except (OSError, smtplib.SMTPException) as exc:
                errors.update(dict.fromkeys(mail.ids, f"邮件服务器拒收：{exc}"))
    return errors


def _addresses(session: Session, user_ids: Iterable[int]) -> dict[int, str]:
    rows = session.execute(
        select(NotificationPref.user_id, NotificationPref.email).where(
            NotificationPref.user_id.in_(set(user_ids))
        )
    )
    return {int(uid): str(email) for uid, email in rows if email}


def _text(note: Notification) -> str:
    lines = [note.title, "", note.body] if note.body else [note.title]
    if note.link:
        lines += ["", f"查看：{note.link}"]
    return "\n".join(lines)


def _pending_mails(session: Session, ids: list[int]) -> list[Mail]:
    stmt = select(Notification).where(
        Notification.id.in_(ids), Notification.email_state == EmailState.pending.value
    )
    notes = list(session.scalars(stmt.order_by(Notification.id)))
    to = _addresses(session, (n.user_id for n in notes))
    return [Mail((n.id,), to[n.user_id], n.title, _text(n)) for n in notes if n.user_id in to]


def _record(session: Session, settings: Settings, ids: Iterable[int], errors: dict[int, str]) -> list[int]:
    """Store each message's outcome; returns the ids to try again."""
    now, retry = utcnow(), []
    for note in session.scalars(select(Notification).where(Notification.id.in_(list(ids)))):
        if note.id not in errors:
            note.email_state, note.emailed_at, note.email_error = EmailState.sent.value, now, ""
            continue
        note.email_attempts += 1
        note.email_error = errors[note.id][:1000]
        if note.email_attempts >= settings.smtp_max_attempts:
            note.email_state = EmailState.failed.value
        else:
            retry.append(note.id)
    session.flush()
    return retry


def send_email(ctx: kinds.JobContext) -> None:
    """Send the pending messages ``ids``; schedule a retry of the failed ones or give them up."""
    settings, ids = ctx.settings, [int(i) for i in ctx.params.get("ids", [])]
    attempt = int(ctx.params.get("attempt", 1))
    with ctx.unit_of_work() as session:
        mails = _pending_mails(session, ids)
    if not settings.smtp_url or not mails:
        ctx.progress(100, "未配置邮件服务器，仅站内消息" if not settings.smtp_url else "没有待发送的邮件")
        return
    ctx.progress(10, f"正在发送 {len(mails)} 封邮件")
    errors = deliver(settings, mails)
    with ctx.unit_of_work() as session:
        retry = _record(session, settings, [i for m in mails for i in m.ids], errors)
        _audit(session, ctx.key, sent=len(mails) - len(errors), failed=len(errors))
        if retry:
            wait = timedelta(seconds=settings.smtp_retry_seconds * 2 ** (attempt - 1))
            schedule_service.schedule_at(
                session,
                actor=WORKER,
                kind=SEND_EMAIL,
                params={"ids": retry, "attempt": attempt + 1},
                run_at=utcnow() + wait,
                key=f"{retry[0]}-{retry[-1]}#{attempt + 1}",
            )
    if errors:
        first = next(iter(errors.values()))
        then = (
            f"将于 {int(wait.total_seconds())} 秒后重试" if retry else "已达到最大重试次数，已标记为发送失败"
        )
        raise kinds.JobFailed(f"{len(errors)} 封邮件发送失败（第 {attempt} 次）：{first}；{then}。")


def _audit(session: Session, key: str, *, sent: int, failed: int) -> None:
    audit.record(
        session,
        actor=WORKER,
        action="platform.notification.email",
        entity_type=ENTITY,
        entity_id=key,
        after={"sent": sent, "failed": failed},
    )


def _digest_mails(session: Session) -> list[Mail]:
    stmt = select(Notification).where(Notification.email_state == EmailState.digest.value)
    by_user: dict[int, list[Notification]] = {}
    for note in session.scalars(stmt.order_by(Notification.user_id, Notification.id)):
        by_user.setdefault(note.user_id, []).append(note)
    to = _addresses(session, by_user)
    mails = []
    for uid, notes in by_user.items():
        if uid not in to:
            continue
        body = "\n\n".join(f"{i}. {_text(n)}" for i, n in enumerate(notes, 1))
        subject = f"消息摘要：您有 {len(notes)} 条新消息"
        mails.append(Mail(tuple(n.id for n in notes), to[uid], subject, body))
    return mails


def digest(ctx: kinds.JobContext) -> None:
    """One e-mail per digest-mode user with their waiting messages; failed ones wait for the next run."""
    settings = ctx.settings
    with ctx.unit_of_work() as session:
        mails = _digest_mails(session)
    if not settings.smtp_url or not mails:
        ctx.progress(100, "未配置邮件服务器" if not settings.smtp_url else "没有待发送的摘要")
        return
    errors = deliver(settings, mails)
    with ctx.unit_of_work() as session:
        for note_id in _record(session, settings, [i for m in mails for i in m.ids], errors):
            session.get_one(Notification, note_id).email_state = EmailState.digest.value
        failed = sum(1 for m in mails if m.ids[0] in errors)
        _audit(session, ctx.key, sent=len(mails) - failed, failed=failed)
    if errors:
        raise kinds.JobFailed(f"{len(errors)} 条消息的摘要邮件发送失败：{next(iter(errors.values()))}。")


def register_kinds() -> None:
    kinds.register(SEND_EMAIL, send_email, label="发送消息邮件")
    kinds.register(DIGEST, digest, label="每周消息摘要")
