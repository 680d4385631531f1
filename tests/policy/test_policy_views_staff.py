"""Officers' and enterprises' working pages over HTTP: runs, qualifying lists, exports,
免申即享 confirmation, input import and the inbox."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.test_policy_service_support import FIRST_CERT, RD, YEAR, firm, rd

from longcheng.core.actors import Role


def _rows(content: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


class TestRuns:
    def test_officer_starts_a_run_from_the_page(self, app_client: TestClient, session: Session) -> None:
        """The run form stores a run and opens its page with the push list."""
        firm(session, name="常州按钮测试科技有限公司")
        make_user(session, username="cityofficer", role=Role.officer)
        session.commit()
        token = login(app_client, "cityofficer")
        resp = app_client.post("/policy/runs", data={"csrf_token": token, "year": str(YEAR), "notify": "1"})
        assert resp.status_code == 200
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


class TestAwardsPage:
    def test_officer_confirms_ticked_firms(self, app_client: TestClient, session: Session) -> None:
        """Ticking a firm and confirming marks it 已确认; the page says how many were handled."""
        org = firm(session, name="常州首认科技有限公司", tags=(("high_tech", date(2025, 5, 1)),), growth=None)
        make_user(session, username="confirmer", role=Role.officer)
        session.commit()
        token = login(app_client, "confirmer")
        app_client.post("/policy/runs", data={"csrf_token": token, "year": str(YEAR)})
        page = app_client.get("/policy/awards", params={"clause": FIRST_CERT, "year": str(YEAR)})
        assert "常州首认科技有限公司" in page.text
        assert "待确认" in page.text
        form = {
            "csrf_token": token,
            "clause": FIRST_CERT,
            "year": str(YEAR),
            "uscc": org.uscc,
            "note": "已核",
        }
        done = app_client.post("/policy/awards/decide", data=form)
        assert 'id="decided"' in done.text
        assert "已处理 1 家企业" in done.text
        assert 'data-status="confirmed"' in done.text

    def test_auditor_cannot_confirm(self, app_client: TestClient, session: Session) -> None:
        """Auditors read the list but a confirmation from them is refused."""
        headers = bearer(session, make_user(session, username="aud2", role=Role.auditor))
        session.commit()
        body = {"clause": FIRST_CERT, "year": YEAR, "usccs": ["91320411MA1XXXXXX5"]}
        assert (
            app_client.post("/api/v1/policy/awards/decisions", json=body, headers=headers).status_code == 403
        )
        assert app_client.get("/api/v1/policy/awards", headers=headers).status_code == 200


class TestInputsPage:
    def test_upload_with_errors_writes_nothing_and_lists_them(
        self, app_client: TestClient, session: Session
    ) -> None:
        """A file with one bad amount is refused whole, with the line and column shown."""
        org = firm(session, growth=None)
        make_user(session, username="importer", role=Role.officer)
        session.commit()
        token = login(app_client, "importer")
        header = "统一社会信用代码,年度,当年获得省级科技项目资助（元）"
        body = f"{header}\n{org.uscc},2025,30万\n{org.uscc},2024,1.2e8\n".encode()
        resp = app_client.post(
            "/policy/inputs", data={"csrf_token": token}, files={"file": ("grants.csv", body, "text/csv")}
        )
        assert resp.status_code == 422
        assert 'id="import-failed"' in resp.text
        assert "不接受科学计数法" in resp.text
        listing = app_client.get("/policy/inputs")
        assert "暂无记录" in listing.text

    def test_template_has_the_input_columns(self, app_client: TestClient, session: Session) -> None:
        """The template's headers are the USCC, the year and each policy-owned input with its unit."""
        headers = bearer(session, make_user(session, username="tpl", role=Role.officer))
        session.commit()
        rows = _rows(app_client.get("/api/v1/policy/inputs/template.xlsx", headers=headers).content)
        assert rows[0][:3] == ("统一社会信用代码", "年度", "已获高企培育入库奖励（元）")


class TestInbox:
    def test_changed_amount_reaches_the_inbox_and_can_be_read(
        self, app_client: TestClient, session: Session
    ) -> None:
        """After two runs the firm's inbox shows the change with its reason; marking read lowers the count."""
        org = firm(session, growth="2,000,000")
        admin = bearer(session, make_user(session, username="pusher", role=Role.admin))
        make_user(session, username="inboxfirm", role=Role.enterprise, org_uscc=org.uscc)
        session.commit()
        app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=admin)
        rd(session, org, {YEAR: "15,000,000"}, source="更正")
        session.commit()
        app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=admin)
        token = login(app_client, "inboxfirm")
        assert app_client.get("/policy/inbox/unread").text.endswith(">2</span>")
        page = app_client.get("/policy/inbox")
        assert "测算金额由 18万元 变为 82万元" in page.text
        assert "年度研发投入增长额：2,000,000.00 元 → 10,000,000.00 元" in page.text
        body = app_client.get("/api/v1/policy/notifications").json()
        newest = body["items"][0]
        assert (newest["kind"], body["unread"]) == ("changed", 2)
        app_client.post(f"/policy/inbox/{newest['id']}/read", data={"csrf_token": token})
        assert app_client.get("/api/v1/policy/notifications").json()["unread"] == 1

    def test_another_firms_message_cannot_be_touched(self, app_client: TestClient, session: Session) -> None:
        """Marking another firm's message read is refused; officers have no inbox."""
        mine, other = firm(session), firm(session)
        admin = bearer(session, make_user(session, username="pusher2", role=Role.admin))
        mine_headers = bearer(
            session, make_user(session, username="minefirm", role=Role.enterprise, org_uscc=mine.uscc)
        )
        other_headers = bearer(
            session, make_user(session, username="otherfirm", role=Role.enterprise, org_uscc=other.uscc)
        )
        session.commit()
        app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=admin)
        theirs = app_client.get("/api/v1/policy/notifications", headers=other_headers).json()["items"][0][
            "id"
        ]
        resp = app_client.post(f"/api/v1/policy/notifications/{theirs}/read", headers=mine_headers)
        assert resp.status_code == 403
        assert app_client.get("/api/v1/policy/notifications", headers=admin).status_code == 403
