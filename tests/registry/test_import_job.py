"""The registry import page as a job: the upload is kept, the worker writes it all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import login, make_user
from tests.registry.test_import import row, write_csv

from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job, JobState
from longcheng.registry.models import Organisation

RunJobs = Callable[[], dict[int, JobState]]


def _orgs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Organisation)) or 0)


def _upload(app_client: TestClient, token: str, path: Path) -> str:
    resp = app_client.post(
        "/registry/import",
        data={"csrf_token": token},
        files={"file": (path.name, path.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    return resp.headers["location"]


def test_upload_starts_a_job_that_writes_once(
    app_client: TestClient, session: Session, tmp_path: Path, run_jobs: RunJobs
) -> None:
    """The page answers 303 at once with nothing written; the job writes every row, keeps the
    upload content-addressed, and a retried job writes nothing twice."""
    make_user(session, username="impjob")
    session.commit()
    token = login(app_client, "impjob")
    before = _orgs(session)
    location = _upload(app_client, token, write_csv(tmp_path / "ok.csv", [row(), row()], "utf-8-sig"))
    assert _orgs(session) == before
    page = app_client.get(location)
    assert "机构批量导入" in page.text
    assert "排队中" in page.text
    job_id = int(location.rsplit("=", 1)[1])
    job = session.get(Job, job_id)
    assert job is not None
    stored = Path(job_service.params_of(job)["input"])
    assert stored.is_relative_to(tmp_path / "job-inputs")
    assert stored.exists()
    assert run_jobs() == {job_id: JobState.done}
    assert _orgs(session) == before + 2
    assert "新建 2 个机构" in app_client.get(f"/jobs/{job_id}/result").text
    job.state = JobState.failed
    session.commit()
    app_client.post(f"/jobs/{job_id}/retry", data={"csrf_token": token})
    assert run_jobs() == {job_id: JobState.done}
    assert _orgs(session) == before + 2


def test_bad_rows_fail_the_job_with_the_row_errors(
    app_client: TestClient, session: Session, tmp_path: Path, run_jobs: RunJobs
) -> None:
    """One bad row: nothing is written, the job fails with the line and column, and the error
    report (CSV) is offered on the page."""
    make_user(session, username="impbad")
    session.commit()
    token = login(app_client, "impbad")
    before = _orgs(session)
    path = write_csv(tmp_path / "bad.csv", [row(), row(所属区="火星区")], "gbk")
    location = _upload(app_client, token, path)
    assert list(run_jobs().values()) == [JobState.failed]
    assert _orgs(session) == before
    page = app_client.get(location)
    assert "未导入任何数据：2 行中发现 1 处错误" in page.text
    assert "第 3 行 [所属区]" in page.text
    assert "下载错误报告" in page.text
    job_id = location.rsplit("=", 1)[1]
    report = app_client.get(f"/jobs/{job_id}/result").content.decode("utf-8-sig")
    assert report.splitlines()[0] == "行号,列,错误"
    assert report.splitlines()[1].startswith("3,所属区,")
