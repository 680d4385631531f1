"""E-mail of notifications against a real local SMTP server (aiosmtpd), and SMTP down."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.factories import login, make_user

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.users import User
from longcheng.modules import register_job_kinds
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs import worker
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.notifications import service
from longcheng.platform.notifications.models import EmailMode, EmailState
from longcheng.platform.notifications.schemas import Recipients, Source
from longcheng.platform.schedules import service as schedule_service


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    handler, port = Inbox(), _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def _notify(session: Session, username: str, mode: EmailMode) -> int:
    user = make_user(session, username=username, role=Role.officer)
    service.set_preference(session, actor=user.to_actor(), email=f"{username}@example.cn", mode=mode)
    rows = service.notify(
        session,
        actor=SYSTEM,
        recipients=Recipients(user_ids=(user.id,)),
        kind="projects.order.overdue",
        title="督办单 DB-001 已逾期未答复",
        body="督办事项：请报送开工进度。",
        link="/projects/P1",
        source=Source("projects", "projects_supervision_order", "1"),
    )
    session.commit()
    return rows[0].id


def _queued(session: Session, kind: str) -> list[int]:
    return [
        j.id
        for j in session.query(Job).filter(Job.kind == kind, Job.state == JobState.queued).order_by(Job.id)
    ]


def test_immediate_email_arrives_in_chinese(
    session: Session, session_factory: sessionmaker[Session], settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    """send_email delivers the message: recipient, Chinese subject and UTF-8 body; then it is sent."""
    register_job_kinds()
    handler, port = smtp
    note_id = _notify(session, "mailer", EmailMode.immediate)
    live = settings.model_copy(
        update={"smtp_url": f"smtp://127.0.0.1:{port}", "smtp_from": "noreply@longcheng.cn"}
    )
    runtime = worker.Runtime(live, session_factory)
    for job_id in _queued(session, service.SEND_EMAIL):
        assert worker.execute(runtime, job_id) is JobState.done
    (envelope,) = handler.envelopes
    assert envelope.rcpt_tos == ["mailer@example.cn"]
    msg = message_from_bytes(envelope.original_content)
    assert str(make_header(decode_header(msg["Subject"]))) == "【龙城】督办单 DB-001 已逾期未答复"
    assert "请报送开工进度" in msg.get_payload(decode=True).decode("utf-8")
    session.expire_all()
    assert (
        service.get(session, note_id, actor=make_actor(session, "mailer")).email_state
        == EmailState.sent.value
    )


def make_actor(session: Session, username: str) -> Actor:
    return session.query(User).filter(User.username == username).one().to_actor()


def test_smtp_down_retries_then_fails_for_the_admin(
    app_client: TestClient, session: Session, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    """A closed port: the job fails, a retry is scheduled; after the last attempt the admin sees it."""
    register_job_kinds()
    make_user(session, username="mailadmin", role=Role.admin)
    note_id = _notify(session, "unlucky", EmailMode.immediate)
    down = settings.model_copy(
        update={
            "smtp_url": f"smtp://127.0.0.1:{_free_port()}",
            "smtp_max_attempts": 2,
            "smtp_retry_seconds": 0,
        }
    )
    runtime = worker.Runtime(down, session_factory)
    (first,) = _queued(session, service.SEND_EMAIL)
    assert worker.execute(runtime, first) is JobState.failed
    retry_ids = schedule_service.tick(session, now=utcnow() + timedelta(seconds=1))
    session.commit()
    assert len(retry_ids) == 1
    assert worker.execute(runtime, retry_ids[0]) is JobState.failed
    assert schedule_service.tick(session, now=utcnow() + timedelta(seconds=5)) == []
    session.commit()
    note = service.get(session, note_id, actor=make_actor(session, "unlucky"))
    session.refresh(note)
    assert (note.email_state, note.email_attempts) == (EmailState.failed.value, 2)
    login(app_client, "mailadmin")
    page = app_client.get("/admin/notifications/failed")
    assert "督办单 DB-001 已逾期未答复" in page.text
    assert "无法连接邮件服务器" in page.text


def test_the_digest_sends_one_mail_per_user_listing_every_waiting_message(
    session: Session, session_factory: sessionmaker[Session], settings: Settings, smtp: tuple[Inbox, int]
) -> None:
    """Two messages in digest mode arrive as one Chinese e-mail listing both; then they are sent."""
    register_job_kinds()
    handler, port = smtp
    first = _notify(session, "digester", EmailMode.digest)
    user = make_actor(session, "digester")
    service.notify(
        session,
        actor=SYSTEM,
        recipients=Recipients(user_ids=(user.id or 0,)),
        kind="policy.new",
        title="您有一项政策可申请",
        body="高新技术企业首次认定奖励。",
        link="/policy/inbox",
        source=Source("policy", "policy_notification", "7"),
    )
    session.commit()
    assert _queued(session, service.SEND_EMAIL) == []  # digest mode: nothing goes at once
    job = job_service.submit(session, actor=SYSTEM, kind=service.DIGEST)
    session.commit()
    live = settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
    assert worker.execute(worker.Runtime(live, session_factory), job.id) is JobState.done
    (envelope,) = handler.envelopes
    assert envelope.rcpt_tos == ["digester@example.cn"]
    msg = message_from_bytes(envelope.original_content)
    assert "您有 2 条新消息" in str(make_header(decode_header(msg["Subject"])))
    body = msg.get_payload(decode=True).decode("utf-8")
    assert "督办单 DB-001 已逾期未答复" in body
    assert "您有一项政策可申请" in body
    session.expire_all()
    assert service.get(session, first, actor=user).email_state == EmailState.sent.value
