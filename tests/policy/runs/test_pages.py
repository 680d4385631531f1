"""Officers' run pages over HTTP: starting a run, its push list and export, and who qualifies
under a clause.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.support import RD, YEAR, firm

from longcheng.core.actors import Role
from longcheng.platform.jobs.models import JobState

RunJobs = Callable[[], dict[int, JobState]]


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


class TestRuns:
    def test_officer_starts_a_run_from_the_page(
        self, app_client: TestClient, session: Session, run_jobs: RunJobs
    ) -> None:
        """The run form starts a ``policy.batch`` job and shows its progress at once; once the
        worker ran it, the same page opens the stored run with its push list."""
        firm(session, name="常州按钮测试科技有限公司")
        make_user(session, username="cityofficer", role=Role.officer)
        session.commit()
        token = login(app_client, "cityofficer")
        form = {"csrf_token": token, "year": str(YEAR), "notify": "1"}
        started = app_client.post("/policy/runs", data=form, follow_redirects=False)
        assert started.status_code == 303
        waiting = app_client.get(started.headers["location"])
        assert "正在测算" in waiting.text
        assert "?refresh=1" in waiting.text
        assert "还没有批量测算记录" in waiting.text
        assert list(run_jobs().values()) == [JobState.done]
        resp = app_client.get(started.headers["location"])
        assert resp.status_code == 200
        assert "/policy/runs/" in str(resp.url)
        assert "批量测算" in resp.text
        assert "常州按钮测试科技有限公司" in resp.text
        assert "新符合" in resp.text

    def test_api_run_and_its_notification_list(self, app_client: TestClient, session: Session) -> None:
        """POST /runs returns the counts; the notification list and its export hold the same rows."""
        org = firm(session)
        headers = bearer(session, make_user(session, username="apiofficer", role=Role.officer))
        session.commit()
        run = app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=headers).json()
        assert (run["new"], run["qualifying"], run["total"]) == (1, 1, "180000.00")
        listing = app_client.get(
            f"/api/v1/policy/runs/{run['id']}/notifications?kind=new", headers=headers
        ).json()
        assert [(i["uscc"], i["kind"], i["amount"]) for i in listing["items"]] == [
            (org.uscc, "new", "180000.00")
        ]
        export = app_client.get(
            f"/api/v1/policy/runs/{run['id']}/notifications.xlsx?kind=new", headers=headers
        )
        rows = _rows(export.content)
        assert rows[0][:3] == ("类型", "统一社会信用代码", "企业名称")
        assert [(r[0], r[1]) for r in rows[1:]] == [("新符合", org.uscc)]

    def test_enterprise_and_auditor_limits(self, app_client: TestClient, session: Session) -> None:
        """Enterprises cannot see runs; auditors read them but cannot start one; district officers neither."""
        org = firm(session)
        firm_headers = bearer(
            session, make_user(session, username="ent1", role=Role.enterprise, org_uscc=org.uscc)
        )
        auditor = bearer(session, make_user(session, username="aud1", role=Role.auditor))
        district = bearer(session, make_user(session, username="dist1", role=Role.officer, district="xinbei"))
        session.commit()
        assert app_client.get("/api/v1/policy/runs", headers=firm_headers).status_code == 403
        assert app_client.get("/api/v1/policy/runs", headers=auditor).status_code == 200
        assert app_client.post("/api/v1/policy/runs", json={}, headers=auditor).status_code == 403
        resp = app_client.post("/api/v1/policy/runs", json={}, headers=district)
        assert (resp.status_code, resp.json()["code"]) == (403, "policy.city_wide_only")

    def test_district_officer_sees_district_figures_only(
        self, app_client: TestClient, session: Session
    ) -> None:
        """A 新北区 officer's run pages count and total 新北区 firms only, and list none of 武进区."""
        firm(session, name="常州新北统计科技有限公司", district="xinbei", growth="2,000,000")
        firm(session, name="常州武进统计科技有限公司", district="wujin", growth="10,000,000")
        admin = bearer(session, make_user(session, username="runner3", role=Role.admin))
        make_user(session, username="xinbeistats", role=Role.officer, district="xinbei")
        session.commit()
        run = app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=admin).json()
        login(app_client, "xinbeistats")
        runs = app_client.get("/policy/runs").text
        assert 'id="scoped-note"' in runs
        assert '<td class="num">18.00</td>' in runs  # 180,000 yuan in 万元, not the city's 100.00
        page = app_client.get(f"/policy/runs/{run['id']}").text
        assert "180,000.00" in page
        assert "820,000.00" not in page
        assert "常州武进统计科技有限公司" not in page


class TestQualifyingPage:
    def test_district_filter_totals_and_export_match(self, app_client: TestClient, session: Session) -> None:
        """Filtered by 武进区: the page totals that district only and the export has exactly those rows."""
        a = firm(session, name="常州甲科技有限公司", district="wujin", growth="2,000,000")
        firm(session, name="常州乙科技有限公司", district="wujin", growth="10,000,000")
        firm(session, name="常州丙科技有限公司", district="xinbei", growth="2,000,000")
        headers = bearer(session, make_user(session, username="runner", role=Role.admin))
        make_user(session, username="viewer", role=Role.officer)
        session.commit()
        app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=headers)
        login(app_client, "viewer")
        query = {"year": str(YEAR), "district": "wujin", "sort": "amount"}
        page = app_client.get(f"/policy/clauses/{RD}/qualifying", params=query)
        assert "共 2 家" in page.text
        assert "1,000,000.00" in page.text
        assert 'data-chart="spec-district"' in page.text
        assert "常州丙科技有限公司" not in page.text
        rows = _rows(app_client.get(f"/policy/clauses/{RD}/qualifying.xlsx", params=query).content)
        assert [(r[0], r[1], Decimal(str(r[3]))) for r in rows[1:]] == [
            (a.uscc, "常州甲科技有限公司", Decimal("180000.00")),
            (rows[2][0], "常州乙科技有限公司", Decimal("820000.00")),
        ]

    def test_district_officer_sees_only_the_district(self, app_client: TestClient, session: Session) -> None:
        """A 新北区 officer's list leaves out firms of other districts even without a filter."""
        firm(session, name="常州新北一科技有限公司", district="xinbei")
        firm(session, name="常州武进一科技有限公司", district="wujin")
        headers = bearer(session, make_user(session, username="runner2", role=Role.admin))
        make_user(session, username="xinbeiviewer", role=Role.officer, district="xinbei")
        session.commit()
        app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=headers)
        login(app_client, "xinbeiviewer")
        page = app_client.get(f"/policy/clauses/{RD}/qualifying")
        assert "常州新北一科技有限公司" in page.text
        assert "常州武进一科技有限公司" not in page.text
