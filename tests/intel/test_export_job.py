"""Intel fact exports above ``EXPORT_JOB_ROWS`` run as a job with exactly the filtered facts."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_user
from tests.intel.service.stories import TWO_STORIES, store

from longcheng.core.config import Settings
from longcheng.platform.jobs.models import JobState


def _rows(content: bytes) -> int:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sheet.max_row - 1


def test_a_large_fact_export_comes_from_the_job_centre(
    app_client: TestClient,
    session: Session,
    settings: Settings,
    tmp_path: Path,
    run_jobs: Callable[[], dict[int, JobState]],
) -> None:
    store(session, tmp_path, TWO_STORIES)
    make_user(session, username="iexport")
    session.commit()
    login(app_client, "iexport")
    streamed = app_client.get("/intel/facts/export.xlsx")
    assert streamed.status_code == 200
    total = _rows(streamed.content)
    assert total >= 2
    settings.export_job_rows = 1
    big = app_client.get("/intel/facts/export.xlsx", follow_redirects=False)
    assert big.status_code == 303
    assert "情报事实导出" in app_client.get(big.headers["location"]).text
    assert list(run_jobs().values()) == [JobState.done]
    job_id = big.headers["location"].rsplit("/", 1)[1]
    assert _rows(app_client.get(f"/jobs/{job_id}/result").content) == total
