"""The projects import page as a job: 303 at once, the worker writes the projects or lists the errors."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.factories import login

from longcheng.core.actors import Actor
from longcheng.platform.jobs.models import JobState
from longcheng.projects import importer
from longcheng.projects.models import Project

RunJobs = Callable[[], dict[int, JobState]]


def _xlsx(*rows: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(importer.HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Project)) or 0)


def _start(app_client: TestClient, token: str, body: bytes) -> str:
    files = {"file": ("p.xlsx", body, "application/octet-stream")}
    resp = app_client.post(
        "/projects/import", data={"csrf_token": token}, files=files, follow_redirects=False
    )
    assert resp.status_code == 303
    return resp.headers["location"]


def test_import_job_writes_the_projects(
    app_client: TestClient, session: Session, people: dict[str, Actor], run_jobs: RunJobs
) -> None:
    """A good file: nothing written by the page; the job creates the project and says so."""
    session.commit()
    token = login(app_client, "pcity")
    before = _count(session)
    location = _start(app_client, token, _xlsx(["", "网页导入项目", "", "新北区"]))
    assert _count(session) == before
    assert "项目批量导入" in app_client.get(location).text
    assert list(run_jobs().values()) == [JobState.done]
    assert _count(session) == before + 1
    job_id = location.rsplit("=", 1)[1]
    assert "新建 1 个项目" in app_client.get(f"/jobs/{job_id}/result").text


def test_import_job_lists_row_errors(
    app_client: TestClient, session: Session, people: dict[str, Actor], run_jobs: RunJobs
) -> None:
    """A bad row: the job fails, nothing is written, the page shows the line and column."""
    session.commit()
    token = login(app_client, "pcity")
    before = _count(session)
    location = _start(app_client, token, _xlsx(["", "好项目", "", "新北区"], ["", "坏项目", "", "不存在区"]))
    assert list(run_jobs().values()) == [JobState.failed]
    assert _count(session) == before
    page = app_client.get(location).text
    assert "第 3 行 [所属地区]" in page
    assert "下载错误报告" in page
