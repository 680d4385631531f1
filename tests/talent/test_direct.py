"""直兑 over HTTP: imports as jobs, freshness, the monthly run, notifications and the person's page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user
from tests.talent.support import MONTH, person, resident_id

from longcheng.core.actors import SYSTEM, Role
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.notifications.models import Notification
from longcheng.talent.models import Person, SocialInsurance

SI = "身份证号码,月份,单位统一社会信用代码,缴费状态\n"
EMP = "单位统一社会信用代码,身份证号码,入职日期,离职日期\n"
DEG = "身份证号码,学历,毕业院校,毕业日期\n"
Jobs = Callable[[], dict[int, JobState]]


def _upload(client: TestClient, headers: dict[str, str], source: str, text: str) -> int:
    files = {"file": (f"{source}.csv", text.encode(), "text/csv")}
    resp = client.post(f"/api/v1/talent/imports/{source}", files=files, headers=headers)
    assert resp.status_code == 202, resp.text
    job: int = resp.json()["job"]
    return job


class TestImports:
    def test_two_employers_in_one_month_refuse_the_whole_file(
        self, app_client: TestClient, session: Session, run_jobs: Jobs
    ) -> None:
        """The job fails naming the row; no month of the file is stored."""
        a, b = make_org(session), make_org(session)
        one, two = resident_id(date(1995, 1, 2), 1), resident_id(date(1996, 2, 3), 2)
        person(session, id_number=one)
        person(session, id_number=two)
        headers = bearer(session, make_user(session, username="hrsi", role=Role.officer))
        session.commit()
        text = SI + f"{two},{MONTH},{a.uscc},已缴\n{one},{MONTH},{a.uscc},已缴\n{one},{MONTH},{b.uscc},已缴\n"
        job = _upload(app_client, headers, "social_insurance", text)
        assert run_jobs() == {job: JobState.failed}
        error = session.get(Job, job)
        assert error is not None
        assert "第 4 行" in error.error
        assert "两个缴费单位" in error.error
        assert session.scalar(select(SocialInsurance.id)) is None
        sources = app_client.get("/api/v1/talent/sources", headers=headers).json()["sources"]
        assert sources[0]["summary"] == "从未导入"

    def test_enterprise_declares_only_its_own_employees(
        self, app_client: TestClient, session: Session, run_jobs: Jobs
    ) -> None:
        """A firm's declaration moves the person's employer and shows on its page, confirmed."""
        org, other = make_org(session), make_org(session)
        number = resident_id(date(1997, 4, 5))
        found = person(session, id_number=number)
        make_user(session, username="firm1", role=Role.enterprise, org_uscc=org.uscc)
        session.commit()
        token = login(app_client, "firm1")
        bad = EMP + f"{other.uscc},{number},2025-03-01,\n"
        app_client.post(
            "/talent/sources/employer",
            data={"csrf_token": token},
            files={"file": ("e.csv", bad.encode(), "text/csv")},
        )
        assert list(run_jobs().values()) == [JobState.failed]
        good = EMP + f"{org.uscc},{number},2025-03-01,\n"
        app_client.post(
            "/talent/sources/employer",
            data={"csrf_token": token},
            files={"file": ("e.csv", good.encode(), "text/csv")},
        )
        assert list(run_jobs().values()) == [JobState.done]
        session.refresh(found)
        assert (found.employer_uscc, found.start_date) == (org.uscc, date(2025, 2, 1))
        page = app_client.get("/talent/employer").text
        assert "已确认" in page
        assert number not in page


def _budget(session: Session, amount_fen: int) -> None:
    """The talent programme with a 2025 budget in the grants ledger."""
    programmes.create(
        session,
        actor=SYSTEM,
        data=ProgrammeIn(code="TALENT-LIVING", name="青年人才生活补贴", department="市人社局"),
    )
    ledger.set_budget(
        session, actor=SYSTEM, programme_code="TALENT-LIVING", fiscal_year=2025, amount_fen=amount_fen
    )


def _push_job(session: Session) -> int:
    job = session.scalar(select(Job.id).where(Job.kind == "talent.push_payables"))
    assert job is not None
    return int(job)


class TestMonthlyRun:
    def _setup(self, session: Session) -> tuple[Person, str, str, dict[str, str]]:
        org = make_org(session)
        number = resident_id(date(1994, 9, 9))
        user = make_user(session, username="zhangsan", role=Role.talent)
        found = person(session, id_number=number, employer_uscc=org.uscc, degree="doctor")
        found.user_id = user.id
        headers = bearer(session, make_user(session, username="hrrun", role=Role.officer))
        return found, number, org.uscc, headers

    def test_stale_sources_fail_the_run_naming_them(
        self, app_client: TestClient, session: Session, run_jobs: Jobs
    ) -> None:
        """Without a 人社 import covering the month the job fails and says which source is stale."""
        _found, _number, _uscc, headers = self._setup(session)
        session.commit()
        resp = app_client.post("/api/v1/talent/runs", json={"month": MONTH}, headers=headers)
        job = resp.json()["job"]
        assert run_jobs() == {job: JobState.failed}
        error = session.get(Job, job)
        assert error is not None
        assert "人社社保缴费从未导入" in error.error

    def test_run_notifies_explains_and_pays_after_confirmation(
        self, app_client: TestClient, session: Session, run_jobs: Jobs
    ) -> None:
        """A doctor with June insurance: told they qualify, 3,000 yuan explained, paid once confirmed."""
        found, number, uscc, headers = self._setup(session)
        session.commit()
        _upload(app_client, headers, "social_insurance", SI + f"{number},{MONTH},{uscc},已缴\n")
        _upload(app_client, headers, "employer", EMP + f"{uscc},{number},2025-02-01,\n")
        _upload(app_client, headers, "degree", DEG + f"{number},博士,南京大学,2021-06-30\n")
        assert set(run_jobs().values()) == {JobState.done}
        login(app_client, "zhangsan")
        token = app_client.get("/talent/me").text.split('name="csrf_token" value="')[1].split('"')[0]
        resp = app_client.post(
            "/talent/me/confirm",
            data={"csrf_token": token, "id_number": number, "bank_account": "6217001234567890123"},
            follow_redirects=False,
        )
        assert resp.status_code == 303
        app_client.post("/api/v1/talent/runs", json={"month": MONTH}, headers=headers)
        assert set(run_jobs().values()) == {JobState.done}
        note = session.scalar(select(Notification).where(Notification.user_id == found.user_id))
        assert note is not None
        assert "符合青年人才生活补贴条件" in note.title
        results = app_client.get("/api/v1/talent/me/results").json()
        assert (results[0]["qualifies"], results[0]["amount"]) == (True, "3000.00")
        assert [c["met"] for c in results[0]["explanation"]["conditions"]] == [True, True, True, True]
        paid = app_client.get(f"/api/v1/talent/people/{found.id}/payments", headers=headers).json()
        assert [(p["amount_fen"], p["kind"], p["payable_status"]) for p in paid] == [
            (300_000, "monthly", "待支付")
        ]
        page = app_client.get("/talent/me").text
        assert "3,000.00" in page or "3000.00" in page
        assert number not in page
        download = app_client.get("/talent/me/download")
        assert number in download.text

    def test_officer_pages_render(self, app_client: TestClient, session: Session) -> None:
        """The list, a record, sources, runs and the dashboard open for an officer, numbers masked."""
        found, number, _uscc, _headers = self._setup(session)
        session.commit()
        login(app_client, "hrrun")
        for url in (
            "/talent",
            f"/talent/people/{found.id}",
            "/talent/sources",
            "/talent/runs",
            "/talent/dashboard",
        ):
            resp = app_client.get(url)
            assert resp.status_code == 200, url
            assert number not in resp.text
        assert found.id_masked in app_client.get("/talent").text
