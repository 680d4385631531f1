"""The import of policy-owned inputs over HTTP: the page, the upload and the template."""

from __future__ import annotations

import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.support import firm

from longcheng.core.actors import Role
from longcheng.platform.jobs.models import JobState


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


class TestInputsPage:
    def test_upload_with_errors_writes_nothing_and_lists_them(
        self, app_client: TestClient, session: Session, run_jobs: Callable[[], dict[int, JobState]]
    ) -> None:
        """The upload starts a job; run, it refuses the file whole with the line and column shown
        on the page, and writes nothing."""
        org = firm(session, growth=None)
        make_user(session, username="importer", role=Role.officer)
        session.commit()
        token = login(app_client, "importer")
        header = "统一社会信用代码,年度,当年获得省级科技项目资助（元）"
        body = f"{header}\n{org.uscc},2025,30万\n{org.uscc},2024,1.2e8\n".encode()
        resp = app_client.post(
            "/policy/inputs",
            data={"csrf_token": token},
            files={"file": ("grants.csv", body, "text/csv")},
            follow_redirects=False,
        )
        assert resp.status_code == 303
        assert list(run_jobs().values()) == [JobState.failed]
        page = app_client.get(resp.headers["location"])
        assert 'id="import-job"' in page.text
        assert "未导入任何数据" in page.text
        assert "不接受科学计数法" in page.text
        assert "暂无记录" in page.text

    def test_template_has_the_input_columns(self, app_client: TestClient, session: Session) -> None:
        """The template's headers are the USCC, the year and each policy-owned input with its unit."""
        headers = bearer(session, make_user(session, username="tpl", role=Role.officer))
        session.commit()
        rows = _rows(app_client.get("/api/v1/policy/inputs/template.xlsx", headers=headers).content)
        assert rows[0][:3] == ("统一社会信用代码", "年度", "已获高企培育入库奖励（元）")
