"""Project exports above ``EXPORT_JOB_ROWS`` run as a job; smaller ones stream at once."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_user
from tests.projects.conftest import MakeProject

from longcheng.core.config import Settings
from longcheng.platform.jobs.models import JobState


def _names(content: bytes) -> set[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    col = header.index("项目名称")
    return {str(r[col]) for r in sheet.iter_rows(min_row=2, values_only=True)}


def test_a_large_project_export_comes_from_the_job_centre(
    app_client: TestClient,
    session: Session,
    settings: Settings,
    make_project: MakeProject,
    run_jobs: Callable[[], dict[int, JobState]],
) -> None:
    """Three Wujin projects over a threshold of 2: a 项目导出 job holds exactly them."""
    for n in range(3):
        make_project(name=f"武进导出{n}号项目", district="wujin")
    make_project(name="新北单个项目", district="xinbei")
    make_user(session, username="pexport")
    session.commit()
    login(app_client, "pexport")
    settings.export_job_rows = 2
    big = app_client.get("/projects/export.xlsx", params={"district": "wujin"}, follow_redirects=False)
    assert big.status_code == 303
    assert "项目导出" in app_client.get(big.headers["location"]).text
    assert list(run_jobs().values()) == [JobState.done]
    job_id = big.headers["location"].rsplit("/", 1)[1]
    assert _names(app_client.get(f"/jobs/{job_id}/result").content) == {
        f"武进导出{n}号项目" for n in range(3)
    }
    small = app_client.get("/projects/export.xlsx", params={"district": "xinbei"})
    assert small.status_code == 200
    assert _names(small.content) == {"新北单个项目"}
