"""督办: deadlines in working days, replies with files stored by SHA-256, late replies red."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.projects.conftest import MakeProject, days_ago

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.clock import local_today
from longcheng.core.errors import LongchengError, PayloadTooLarge, PermissionDenied, ValidationFailed
from longcheng.core.workdays import default_calendar
from longcheng.projects import service
from longcheng.projects.schemas import OrderIn
from longcheng.projects.supervision import service as supervision_service
from longcheng.projects.supervision.models import StoredFile, SupervisionOrder, SupervisionReply

PDF = b"%PDF-1.4\n% test reply\n" + b"x" * 2000


def _issue(session: Session, actor: Actor, code: str, days: int = 5) -> int:
    order = supervision_service.issue_order(
        session,
        actor=actor,
        code=code,
        data=OrderIn(subject="说明施工许可办理进展", demand="请于期限内书面答复。", reply_working_days=days),
    )
    return order.id


class TestIssue:
    def test_deadline_counts_working_days(self, session: Session, make_project: MakeProject) -> None:
        """Five working days from today on the official calendar; the order is audited on the project."""
        p = make_project()
        order = supervision_service.issue_order(
            session, actor=SYSTEM, code=p.code, data=OrderIn(subject="报送进展")
        )
        cal = default_calendar(allow_uncovered=True)
        assert order.reply_due == cal.add_working_days(local_today(), 5)
        assert order.number.startswith(f"DB{local_today().year}-")
        assert (
            audit.history(session, entity_type="project", entity_id=p.code)[0].action
            == "projects.order.issue"
        )

    def test_who_may_issue(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The city bureau and the district issue orders; an auditor cannot; another district cannot."""
        p = make_project()
        _issue(session, people["pcity"], p.code)
        _issue(session, people["pxinbei"], p.code)
        with pytest.raises(PermissionDenied):
            _issue(session, people["paudit"], p.code)
        with pytest.raises(LongchengError) as exc:
            _issue(session, people["pwujin"], p.code)
        assert exc.value.status_code == 404


class TestReply:
    def test_reply_with_files_stored_once_by_sha256(
        self, session: Session, make_project: MakeProject, tmp_path: Path
    ) -> None:
        """Files go under files/ab/cd/<sha256>; the same bytes twice are stored once and never rewritten."""
        p = make_project()
        order_id = _issue(session, SYSTEM, p.code)
        reply = supervision_service.reply_to_order(
            session,
            actor=SYSTEM,
            order_id=order_id,
            body="已提交施工许可申请。",
            files=[("进展说明.pdf", io.BytesIO(PDF))],
            root=tmp_path,
        )
        sha = reply.attachments[0].file.sha256
        stored = supervision_service.path_of(tmp_path, sha)
        assert stored.read_bytes() == PDF
        assert stored.parent.parent.name == sha[:2]
        mtime = stored.stat().st_mtime_ns
        supervision_service.reply_to_order(
            session,
            actor=SYSTEM,
            order_id=order_id,
            body="补充材料（同一文件）。",
            files=[("副本.pdf", io.BytesIO(PDF))],
            root=tmp_path,
        )
        assert session.scalar(select(func.count()).select_from(StoredFile)) == 1
        assert stored.stat().st_mtime_ns == mtime
        assert not reply.late
        history = audit.history(session, entity_type="project", entity_id=p.code)[1]
        assert history.action == "projects.order.reply"
        assert sha in history.diff

    def test_late_reply_is_marked_and_turns_the_project_red(
        self, session: Session, make_project: MakeProject, tmp_path: Path
    ) -> None:
        """A reply after the deadline is late, and the project shows red with the order's number."""
        p = make_project()
        order_id = _issue(session, SYSTEM, p.code)
        row = session.get(SupervisionOrder, order_id)
        assert row is not None
        row.issued_on, row.reply_due = days_ago(20), days_ago(10)
        session.flush()
        reply = supervision_service.reply_to_order(
            session, actor=SYSTEM, order_id=order_id, body="迟到的答复。", files=[], root=tmp_path
        )
        assert reply.late
        p = service.get(session, actor=SYSTEM, code=p.code)
        assert p.light == "red"
        assert "逾期答复" in p.light_reasons
        assert row.number in p.light_reasons

    def test_wrong_file_type_stores_nothing(
        self, session: Session, make_project: MakeProject, tmp_path: Path
    ) -> None:
        """A program renamed .pdf is refused by its bytes; no reply and no file are kept."""
        p = make_project()
        order_id = _issue(session, SYSTEM, p.code)
        with pytest.raises(ValidationFailed) as exc:
            supervision_service.reply_to_order(
                session,
                actor=SYSTEM,
                order_id=order_id,
                body="见附件。",
                files=[("说明.pdf", io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100))],
                root=tmp_path,
            )
        assert exc.value.code_text == "projects.file_type"
        assert session.scalar(select(func.count()).select_from(SupervisionReply)) == 0
        assert not any(f.is_file() for f in (tmp_path / "files").rglob("*"))

    def test_too_large_file_is_refused(
        self, session: Session, make_project: MakeProject, tmp_path: Path
    ) -> None:
        """A file over the limit is refused before it is kept."""
        p = make_project()
        order_id = _issue(session, SYSTEM, p.code)
        with pytest.raises(PayloadTooLarge):
            supervision_service.reply_to_order(
                session,
                actor=SYSTEM,
                order_id=order_id,
                body="见附件。",
                files=[("大文件.pdf", io.BytesIO(PDF))],
                root=tmp_path,
                max_bytes=1000,
            )

    def test_only_those_responsible_reply(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject, tmp_path: Path
    ) -> None:
        """The bureau that issued the order does not answer it: a city officer gets 403."""
        p = make_project()
        order_id = _issue(session, people["pcity"], p.code)
        with pytest.raises(PermissionDenied):
            supervision_service.reply_to_order(
                session, actor=people["pcity"], order_id=order_id, body="越权答复。", files=[], root=tmp_path
            )
        reply = supervision_service.reply_to_order(
            session, actor=people["pxinbei"], order_id=order_id, body="区里答复。", files=[], root=tmp_path
        )
        assert reply.actor.startswith("pxinbei")

    def test_empty_reply_is_refused(
        self, session: Session, make_project: MakeProject, tmp_path: Path
    ) -> None:
        """A reply must say something."""
        p = make_project()
        with pytest.raises(ValidationFailed):
            supervision_service.reply_to_order(
                session,
                actor=SYSTEM,
                order_id=_issue(session, SYSTEM, p.code),
                body=" ",
                files=[],
                root=tmp_path,
            )
