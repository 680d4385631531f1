"""A city-wide run over the API as a job: 202 at once, the job's progress, then the stored run."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.support import YEAR, firm

from longcheng.core.actors import Role
from longcheng.core.config import Settings
from longcheng.platform.jobs.models import JobState


def test_a_run_submitted_as_a_job_answers_202_and_stores_the_run(
    app_client: TestClient, session: Session, run_jobs: Callable[[], dict[int, JobState]]
) -> None:
    firm(session, growth="2,000,000")
    admin = bearer(session, make_user(session, username="jobrunner", role=Role.admin))
    session.commit()
    before = app_client.get("/api/v1/policy/runs", headers=admin).json()["total"]
    resp = app_client.post("/api/v1/policy/runs/jobs", json={"year": YEAR}, headers=admin)
    assert resp.status_code == 202
    location = resp.headers["location"]
    assert app_client.get(location, headers=admin).json()["state"] == "queued"
    assert list(run_jobs().values()) == [JobState.done]
    assert app_client.get(location, headers=admin).json()["state"] == "done"
    runs = app_client.get("/api/v1/policy/runs", headers=admin).json()
    assert runs["total"] == before + 1


def test_a_district_officer_and_a_bad_year_are_refused_before_any_job(
    app_client: TestClient, session: Session, run_jobs: Callable[[], dict[int, JobState]]
) -> None:
    officer = bearer(session, make_user(session, username="wujin-run", role=Role.officer, district="wujin"))
    admin = bearer(session, make_user(session, username="badyear", role=Role.admin))
    session.commit()
    assert (
        app_client.post("/api/v1/policy/runs/jobs", json={"year": YEAR}, headers=officer).status_code == 403
    )
    bad = app_client.post("/api/v1/policy/runs/jobs", json={"year": "明年"}, headers=admin)
    assert bad.status_code == 422
    assert run_jobs() == {}


def test_a_large_push_list_export_comes_from_the_job_centre(
    app_client: TestClient, session: Session, settings: Settings, run_jobs: Callable[[], dict[int, JobState]]
) -> None:
    """Above EXPORT_JOB_ROWS the run's 精准推送 list is built by a job, with the same rows."""
    firm(session, growth="2,000,000")
    firm(session, growth="3,000,000")
    make_user(session, username="pushexport", role=Role.admin)
    admin = bearer(session, make_user(session, username="pushexport-api", role=Role.admin))
    session.commit()
    run = app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=admin).json()
    login(app_client, "pushexport")
    url = f"/policy/runs/{run['id']}/notifications.xlsx"
    streamed = app_client.get(url)
    assert streamed.status_code == 200
    settings.export_job_rows = 0
    big = app_client.get(url, follow_redirects=False)
    assert big.status_code == 303
    assert "精准推送名单导出" in app_client.get(big.headers["location"]).text
    assert list(run_jobs().values()) == [JobState.done]
    job_id = big.headers["location"].rsplit("/", 1)[1]
    from_job = app_client.get(f"/jobs/{job_id}/result").content
    assert _rows(from_job) == _rows(streamed.content)
    assert len(_rows(from_job)) >= 2


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(min_row=2, values_only=True))
