"""Bulk decisions above ``IMPORT_JOB_ROWS`` run as a job: the page shows its progress, then the
result; a refused file fails the job, writes nothing, and its error list can be downloaded."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.grants.conftest import MakeProgramme
from tests.grants.test_bulk import _export, _fill, _officer, _stages, _submitted

from longcheng.core.audit import AuditRecord
from longcheng.core.config import Settings
from longcheng.platform.jobs.models import JobState

RunJobs = Callable[[], dict[int, JobState]]


def _start(client: TestClient, token: str, data: bytes) -> str:
    resp = client.post(
        "/grants/queue/decisions",
        data={"csrf_token": token},
        files={"file": ("queue.xlsx", data)},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    location = resp.headers["location"]
    assert location.startswith("/grants/queue/decisions?job=")
    return location


def _summaries(session: Session) -> list[str]:
    stmt = select(AuditRecord.diff).where(AuditRecord.action == "grants.application.bulk")
    return list(session.scalars(stmt))


def test_a_large_file_shows_progress_then_the_result(
    app_client: TestClient,
    session: Session,
    settings: Settings,
    make_programme: MakeProgramme,
    run_jobs: RunJobs,
) -> None:
    """Over the threshold the upload only queues a job: nothing moves until it runs; the page shows
    the queued job's progress, and once done the decisions applied and the audited summary."""
    a, b, untouched = _submitted(session, make_programme, 3)
    token = _officer(app_client, session)
    session.commit()
    settings.import_job_rows = 1
    data = _fill(_export(app_client, "submitted"), {a: ("通过", "", None), b: ("退回", "缺少审计报告", None)})
    location = _start(app_client, token, data)
    assert _stages(session, [a, b, untouched]) == ["submitted"] * 3
    waiting = app_client.get(location).text
    assert "批量决定（任务" in waiting
    assert 'data-state="queued"' in waiting
    assert "排队中" in waiting
    assert list(run_jobs().values()) == [JobState.done]
    assert _stages(session, [a, b, untouched]) == ["first_review", "returned", "submitted"]
    done = app_client.get(location).text
    assert 'data-state="done"' in done
    assert "100%" in done
    assert "已执行 2 项决定" in done
    assert "下载结果（批量决定结果.txt）" in done
    job_id = location.rsplit("=", 1)[1]
    assert "已执行 2 项决定" in app_client.get(f"/jobs/{job_id}/result").text
    [summary] = _summaries(session)
    assert "后台任务" in summary
    assert job_id in summary


def test_a_refused_file_in_a_job_writes_nothing_and_lists_the_rows(
    app_client: TestClient,
    session: Session,
    settings: Settings,
    make_programme: MakeProgramme,
    run_jobs: RunJobs,
) -> None:
    """One 不予支持 without its reason: the job fails, no application moves, the page names the row
    and the full error list downloads as CSV."""
    a, b = _submitted(session, make_programme, 2)
    token = _officer(app_client, session)
    session.commit()
    settings.import_job_rows = 1
    data = _fill(_export(app_client, "submitted"), {a: ("通过", "", None), b: ("不予支持", "", None)})
    location = _start(app_client, token, data)
    assert list(run_jobs().values()) == [JobState.failed]
    assert _stages(session, [a, b]) == ["submitted", "submitted"]
    assert _summaries(session) == []
    page = app_client.get(location).text
    assert "未执行任何决定：2 项决定中发现 1 处错误" in page
    assert "[决定理由]：退回或不予支持须写明理由" in page
    assert "下载错误报告" in page
    job_id = location.rsplit("=", 1)[1]
    errors = app_client.get(f"/jobs/{job_id}/result")
    assert errors.status_code == 200
    assert "退回或不予支持须写明理由" in errors.content.decode("utf-8-sig")
