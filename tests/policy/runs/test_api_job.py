"""A city-wide run over the API as a job: 202 at once, the job's progress, then the stored run."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user
from tests.policy.support import YEAR, firm

from longcheng.core.actors import Role
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
