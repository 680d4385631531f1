"""The 任务中心 over HTTP: pages, the JSON API, cancel, retry, result download and permissions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from tests.factories import bearer, login, make_user

from longcheng.core.actors import Role
from longcheng.core.config import Settings
from longcheng.platform.jobs import worker
from longcheng.platform.jobs.models import JobState
from longcheng.platform.schedules import service as schedule_service


def test_admin_starts_demo_and_sees_progress(app_client: TestClient, session: Session) -> None:
    """The page starts a job, shows its progress partial, and the nav has the 任务中心."""
    make_user(session, username="jadmin", role=Role.admin)
    token = login(app_client, "jadmin")
    resp = app_client.post("/jobs/demo", data={"steps": "2", "csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303
    page = app_client.get(resp.headers["location"])
    assert page.status_code == 200
    assert "任务中心" in page.text
    assert 'hx-trigger="every 1s"' in page.text
    assert "排队中" in page.text


def test_api_list_cancel_retry_result(
    app_client: TestClient, session: Session, settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    """Through the API a job is listed, cancelled, retried, run and its result downloaded."""
    user = make_user(session, username="japi", role=Role.admin)
    headers = bearer(session, user)
    job = app_client.post("/api/v1/jobs/demo", json={"steps": 1, "seconds": 0}, headers=headers).json()
    listed = app_client.get("/api/v1/jobs?state=queued", headers=headers).json()
    assert job["id"] in [j["id"] for j in listed["items"]]
    cancelled = app_client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=headers).json()
    assert cancelled["state"] == "cancelled"
    retried = app_client.post(f"/api/v1/jobs/{job['id']}/retry", headers=headers).json()
    assert retried["state"] == "queued"
    runtime = worker.Runtime(settings, session_factory, worker_id="t:1:x")
    assert worker.execute(runtime, job["id"]) is JobState.done
    got = app_client.get(f"/api/v1/jobs/{job['id']}", headers=headers).json()
    assert got["progress"] == 100
    assert got["result_url"]
    assert "演示任务完成" in app_client.get(got["result_url"], headers=headers).content.decode()


def test_others_jobs_are_hidden(app_client: TestClient, session: Session) -> None:
    """An officer cannot see or steer another user's job; the demo is for admins only."""
    admin = make_user(session, username="jowner", role=Role.admin)
    officer = make_user(session, username="jofficer", role=Role.officer)
    job = app_client.post("/api/v1/jobs/demo", json={"steps": 1}, headers=bearer(session, admin)).json()
    other = bearer(session, officer)
    assert app_client.get(f"/api/v1/jobs/{job['id']}", headers=other).status_code == 404
    assert app_client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=other).status_code == 404
    assert app_client.post("/api/v1/jobs/demo", json={"steps": 1}, headers=other).status_code == 403
    assert app_client.get("/api/v1/jobs", headers=other).json()["total"] == 0


def test_schedules_page(app_client: TestClient, session: Session) -> None:
    """Admins see the schedules with their next run; others are refused."""
    schedule_service.sync_defaults(session)
    make_user(session, username="sadmin", role=Role.admin)
    make_user(session, username="sofficer", role=Role.officer)
    login(app_client, "sadmin")
    page = app_client.get("/admin/schedules")
    assert page.status_code == 200
    assert "督办答复到期提醒" in page.text
    login(app_client, "sofficer")
    assert app_client.get("/admin/schedules").status_code == 403
