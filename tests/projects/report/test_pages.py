"""The 督查专报 page over HTTP: the form starts a job; run by the worker, its ZIP holds XLSX and PDF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import login
from tests.projects.conftest import MakeProject

from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.platform.jobs.models import JobState
from longcheng.projects.schedule.progress import Month


def test_report_page_starts_a_job_and_offers_its_files(
    app_client: TestClient,
    session: Session,
    people: dict[str, Actor],
    make_project: MakeProject,
    run_jobs: Callable[[], dict[int, JobState]],
) -> None:
    """POST returns 303 to the page with the job's inline progress; once run, the result is a ZIP
    with the month's XLSX and PDF, downloadable from the job."""
    make_project(stage="signed", signed_on=local_today())
    session.commit()
    token = login(app_client, "pcity")
    month = str(Month.of(local_today()))
    resp = app_client.post(
        "/projects/report", data={"csrf_token": token, "month": month}, follow_redirects=False
    )
    assert resp.status_code == 303
    page = app_client.get(resp.headers["location"])
    assert "月度督查专报" in page.text
    assert "排队中" in page.text
    assert list(run_jobs().values()) == [JobState.done]
    page = app_client.get(resp.headers["location"])
    assert "下载结果" in page.text
    job_id = resp.headers["location"].rsplit("=", 1)[1]
    download = app_client.get(f"/jobs/{job_id}/result")
    assert download.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sorted(names) == [f"督查专报-{month}.pdf", f"督查专报-{month}.xlsx"]


def test_bad_month_is_refused_in_chinese(
    app_client: TestClient, people: dict[str, Actor], session: Session
) -> None:
    """A month that does not parse is a 422 on the same page, and no job is started."""
    session.commit()
    token = login(app_client, "pcity")
    resp = app_client.post("/projects/report", data={"csrf_token": token, "month": "2026-13"})
    assert resp.status_code == 422
    assert 'id="report-error"' in resp.text
    assert 'id="report-job"' not in resp.text
