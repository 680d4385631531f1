"""先建后补 progress reports: scheduled from the programme's plan when the award is decided, the
firm writes and submits them with attachments, staff accept or send them back with reasons, and
the daily reminder reaches the firm before the due date and the firm and officers once overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.grants.conftest import MakeProgramme
from tests.grants.test_acceptance import PDF
from tests.grants.test_applications import CLOSES, _end_publicity, _firm, _ready, _window

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.grants.acceptance.progress.service import add_months
from longcheng.grants.acceptance.progress.tasks import PROGRESS_REMINDERS
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import apply, decide
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import JobState
from longcheng.platform.notifications.models import Notification
from longcheng.platform.schedules import service as schedule_service

RunJobs = Callable[[], dict[int, JobState]]


def _decided_with_plan(
    client: TestClient, session: Session, make_programme: MakeProgramme, name: str
) -> tuple[str, dict[str, str], dict[str, str]]:
    programme = make_programme(payment_mode="after_acceptance")
    officer = bearer(session, make_user(session, username=f"{name}_off", role=Role.officer))
    session.commit()
    plan = {"every_months": 2, "reports": 3, "remind_days": 5}
    bad = client.put(
        f"/api/v1/grants/programmes/{programme.code}/progress-plan",
        json=plan | {"reports": 0},
        headers=officer,
    )
    assert bad.json()["code"] == "grants.invalid"
    assert (
        client.put(
            f"/api/v1/grants/programmes/{programme.code}/progress-plan", json=plan, headers=officer
        ).status_code
        == 200
    )
    firm, headers = _firm(session, name)
    number = _ready(session, firm, _window(session, programme))
    apply.submit(session, actor=firm, number=number, pledge=True, now=CLOSES - timedelta(days=1))
    for stage in ("first_review", "second_review", "expert_review", "financial_review"):
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    decide.set_amount(session, actor=SYSTEM, number=number, approved_fen=30_000_00)
    for stage in ("proposed", "publicised"):
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    _end_publicity(session, number)
    decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage="decided", reason="同意"))
    session.commit()
    return number, headers, officer


def test_reports_are_written_sent_back_and_accepted(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    number, firm, officer = _decided_with_plan(app_client, session, make_programme, "gprog")
    base = f"/api/v1/grants/applications/{number}/progress"
    reports = app_client.get(base, headers=firm).json()
    today = local_today()
    assert [(r["seq"], r["state"]) for r in reports] == [(1, "due"), (2, "due"), (3, "due")]
    assert [r["due_on"] for r in reports] == [add_months(today, m).isoformat() for m in (2, 4, 6)]

    exe = app_client.post(
        f"{base}/1/files", files={"file": ("进度.pdf", b"MZ\x90\x00" + b"\x00" * 64)}, headers=firm
    )
    assert exe.status_code == 422
    assert (
        app_client.post(f"{base}/1/files", files={"file": ("进度.pdf", PDF)}, headers=firm).status_code == 201
    )
    short = app_client.post(f"{base}/1/submit", json={"body": "在建"}, headers=firm)
    assert short.json()["code"] == "grants.invalid"
    body = {"body": "厂房主体完工，设备已到货 60%，资金使用 320 万元。"}
    submitted = app_client.post(f"{base}/1/submit", json=body, headers=firm).json()
    assert (submitted["state"], len(submitted["files"])) == ("submitted", 1)
    late = app_client.post(f"{base}/1/files", files={"file": ("补充.pdf", PDF)}, headers=firm)
    assert (late.status_code, late.json()["code"]) == (409, "grants.progress_locked")

    assert app_client.post(f"{base}/1/review", json={"decision": "accept"}, headers=firm).status_code == 403
    no_reason = app_client.post(f"{base}/1/review", json={"decision": "return"}, headers=officer)
    assert "退回修改须写明理由" in no_reason.json()["message"]
    back = app_client.post(
        f"{base}/1/review", json={"decision": "return", "note": "请补充设备发票"}, headers=officer
    )
    assert (back.json()["state"], back.json()["review_note"]) == ("returned", "请补充设备发票")
    inbox = app_client.get("/api/v1/notifications", headers=firm).json()
    assert any("被退回修改" in n["title"] for n in inbox["items"])

    again = app_client.post(f"{base}/1/submit", json={"body": body["body"] + "已补充发票。"}, headers=firm)
    assert again.json()["state"] == "submitted"
    done = app_client.post(f"{base}/1/review", json={"decision": "accept"}, headers=officer).json()
    assert done["state"] == "accepted"
    twice = app_client.post(f"{base}/1/review", json={"decision": "accept"}, headers=officer)
    assert twice.json()["code"] == "grants.progress_not_submitted"


def test_pages_for_the_firm_and_staff(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    """The firm finds its reports on the acceptance page and submits through the form; the officer
    finds it in the list (filters, XLSX) and sends it back through the review form."""
    number, _, _ = _decided_with_plan(app_client, session, make_programme, "gprogp")
    token = login(app_client, "gprogp")
    task = app_client.get(f"/grants/acceptance/{number}")
    assert "进度报告" in task.text
    assert f"/grants/acceptance/{number}/progress/1" in task.text
    page = app_client.get(f"/grants/acceptance/{number}/progress/1")
    assert "提交进度报告" in page.text
    assert "审核进度报告" not in page.text
    form = {"csrf_token": token, "body": "项目已完成土建，正在安装设备。"}
    shown = app_client.post(f"/grants/acceptance/{number}/progress/1/submit", data=form)
    assert "待审核" in shown.text

    token = login(app_client, "gprogp_off")
    listed = app_client.get("/grants/progress", params={"q": number, "state": "submitted"})
    assert f"/grants/acceptance/{number}/progress/1" in listed.text
    assert "设置专项进度报告周期" in listed.text
    overdue = app_client.get("/grants/progress", params={"q": number, "overdue": "1"})
    assert f"/grants/acceptance/{number}/progress/1" not in overdue.text
    sheet = app_client.get("/grants/progress.xlsx", params={"q": number})
    assert sheet.status_code == 200
    review = {"csrf_token": token, "decision": "return", "note": "请附现场照片"}
    back = app_client.post(f"/grants/acceptance/{number}/progress/1/review", data=review)
    assert "退回修改" in back.text
    assert "请附现场照片" in back.text


def _messages(session: Session, number: str) -> list[str]:
    session.expire_all()
    stmt = select(Notification.title).where(Notification.source_id == number).order_by(Notification.id)
    return list(session.scalars(stmt))


def test_reminders_before_the_due_date_and_once_overdue(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, run_jobs: RunJobs
) -> None:
    """The daily job reminds the firm a few working days ahead and the firm and the district's
    officers once overdue; running it again the same day sends nothing new."""
    number, _, _ = _decided_with_plan(app_client, session, make_programme, "gprogr")
    schedule_service.sync_defaults(session)
    names = {s.name: s for s in schedule_service.list(session)}
    assert names["grants.progress_reminders"].working_days_only
    first_due = add_months(local_today(), 2)

    def run(day: date, key: str) -> None:
        job_service.create_row(
            session, actor=SYSTEM, kind=PROGRESS_REMINDERS, key=key, params={"today": day.isoformat()}
        )
        session.commit()
        assert JobState.done in run_jobs().values()

    run(first_due - timedelta(days=60), "early")
    assert _messages(session, number) == []
    run(first_due - timedelta(days=1), "soon")
    soon = _messages(session, number)
    assert soon == [f"{number} 第 1 期进度报告将于 {first_due.isoformat()} 到期"]
    run(first_due + timedelta(days=1), "late")
    late = _messages(session, number)[len(soon) :]
    assert all("已逾期" in t for t in late)
    assert len(late) >= 2  # the firm's user and the officer
    run(first_due + timedelta(days=2), "again")
    assert session.scalar(select(func.count(Notification.id)).where(Notification.source_id == number)) == len(
        soon
    ) + len(late)
