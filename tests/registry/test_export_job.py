"""Registry exports above ``EXPORT_JOB_ROWS``: the link starts a job, the file comes from the job."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user

from longcheng.core.config import Settings
from longcheng.platform.jobs.models import JobState


def _names(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sorted(str(r[1]) for r in sheet.iter_rows(min_row=2, values_only=True))


def test_large_export_runs_as_a_job_small_one_streams(
    app_client: TestClient,
    session: Session,
    settings: Settings,
    run_jobs: Callable[[], dict[int, JobState]],
) -> None:
    """With the threshold at 2 rows, exporting 3 filtered firms answers 303 to the job; run, the
    job's file holds exactly the filtered rows; a filter matching 1 firm still streams the file."""
    for n in range(3):
        make_org(session, name=f"常州导出任务{n}科技有限公司", district="wujin")
    make_org(session, name="常州其他区科技有限公司", district="xinbei")
    make_user(session, username="exportjob")
    session.commit()
    login(app_client, "exportjob")
    settings.export_job_rows = 2
    big = app_client.get("/registry/export.xlsx", params={"district": "wujin"}, follow_redirects=False)
    assert big.status_code == 303
    job_page = app_client.get(big.headers["location"])
    assert "机构导出" in job_page.text
    assert list(run_jobs().values()) == [JobState.done]
    job_id = big.headers["location"].rsplit("/", 1)[1]
    result = app_client.get(f"/jobs/{job_id}/result")
    assert _names(result.content) == [f"常州导出任务{n}科技有限公司" for n in range(3)]
    small = app_client.get("/registry/export.xlsx", params={"district": "xinbei"})
    assert small.status_code == 200
    assert _names(small.content) == ["常州其他区科技有限公司"]
