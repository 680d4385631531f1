"""The policy module over HTTP: API, 一键查, the calculator page and permissions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.support import RD, YEAR, firm

from longcheng.core.actors import Role


class TestClausesApi:
    def test_lists_the_clauses_with_readings_and_sources(
        self, app_client: TestClient, session: Session
    ) -> None:
        """Every clause is listed with its readings (confirmed or not) and where its data comes from."""
        headers = bearer(session, make_user(session, username="reader", role=Role.auditor))
        session.commit()
        body = app_client.get("/api/v1/policy/clauses", headers=headers).json()
        clauses = {c["id"]: c for c in body["clauses"]}
        assert len(clauses) == 5
        assert body["pack"]["illustrative"] is True
        readings = {r["id"]: r["confirmed"] for r in clauses[RD]["readings"]}
        assert readings == {"literal": False, "entry_threshold": False}
        assert clauses[RD]["sources"] == ["企业库标签", "企业库数据"]

    def test_anonymous_gets_401(self, app_client: TestClient) -> None:
        """The API asks for a login or a token."""
        assert app_client.get("/api/v1/policy/clauses").status_code == 401


class TestEvaluateApi:
    def _post(
        self, client: TestClient, headers: dict[str, str], **body: object
    ) -> tuple[int, dict[str, object]]:
        resp = client.post("/api/v1/policy/evaluate", json=body, headers=headers)
        return resp.status_code, resp.json()

    def test_explanation_has_yuan_amount_and_brackets(self, app_client: TestClient, session: Session) -> None:
        """R&D growth 2,000,000 for a tech SME: amount "180000.00" and the bracket rows."""
        headers = bearer(session, make_user(session, username="calc", role=Role.reviewer))
        session.commit()
        status, data = self._post(
            app_client,
            headers,
            clause=RD,
            year=YEAR,
            inputs={"rd_growth": "2000000", "enterprise_type": "tech_sme"},
        )
        assert status == 200
        assert data["amount"] == "180000.00"
        first = data["brackets"][0]  # type: ignore[index]
        assert first == {
            **first,
            "from": "200000.00",
            "to": "2000000.00",
            "slice": "1800000.00",
            "rate": "10%",
        }
        assert data["other_readings"][0]["amount"] == "200000.00"  # type: ignore[index]

    def test_the_other_reading_and_bad_amounts(self, app_client: TestClient, session: Session) -> None:
        """reading=entry_threshold pays 20,000.00 at the threshold; 1.2e8 and floats are refused."""
        headers = bearer(session, make_user(session, username="calc2", role=Role.officer))
        session.commit()
        inputs = {"rd_growth": "200000", "enterprise_type": "high_tech"}
        status, data = self._post(
            app_client, headers, clause=RD, year=YEAR, inputs=inputs, reading="entry_threshold"
        )
        assert (status, data["amount"]) == (200, "20000.00")
        status, data = self._post(
            app_client, headers, clause=RD, year=YEAR, inputs={**inputs, "rd_growth": "1.2e8"}
        )
        assert (status, data["code"]) == (422, "policy.amount_scientific")
        resp = app_client.post(
            "/api/v1/policy/evaluate",
            content=b'{"clause": "innovation.rd_growth_reward", "inputs": {"rd_growth": 2000000.5}}',
            headers={**headers, "content-type": "application/json"},
        )
        assert resp.status_code == 422


class TestLookupApi:
    def test_enterprise_sees_its_own_exact_amounts(self, app_client: TestClient, session: Session) -> None:
        """The firm's 一键查 lists the R&D reward at 180,000.00 with its explanation."""
        org = firm(session, growth="2,000,000")
        headers = bearer(session, make_user(session, username="own", role=Role.enterprise, org_uscc=org.uscc))
        session.commit()
        body = app_client.get(f"/api/v1/policy/orgs/{org.uscc}?year={YEAR}", headers=headers).json()
        assert [(q["clause"], q["amount"]) for q in body["qualifying"]] == [(RD, "180000.00")]
        assert body["qualifying"][0]["conditions"][1]["met"] is True
        assert body["total"] == "180000.00"

    def test_enterprise_gets_404_for_another_firm(self, app_client: TestClient, session: Session) -> None:
        """Another firm's 一键查 is refused to an enterprise user."""
        mine, other = firm(session), firm(session)
        headers = bearer(
            session, make_user(session, username="nosy", role=Role.enterprise, org_uscc=mine.uscc)
        )
        session.commit()
        resp = app_client.get(f"/api/v1/policy/orgs/{other.uscc}", headers=headers)
        assert resp.status_code == 404

    def test_district_officer_only_in_district(self, app_client: TestClient, session: Session) -> None:
        """A 新北区 officer looks up 新北区 firms but not 武进区 ones; an auditor reads any."""
        ours, theirs = firm(session, district="xinbei"), firm(session, district="wujin")
        officer = bearer(
            session, make_user(session, username="xbofficer", role=Role.officer, district="xinbei")
        )
        auditor = bearer(session, make_user(session, username="auditor1", role=Role.auditor))
        session.commit()
        assert app_client.get(f"/api/v1/policy/orgs/{ours.uscc}", headers=officer).status_code == 200
        assert app_client.get(f"/api/v1/policy/orgs/{theirs.uscc}", headers=officer).status_code == 404
        assert app_client.get(f"/api/v1/policy/orgs/{theirs.uscc}", headers=auditor).status_code == 200


class TestPages:
    def test_enterprise_page_shows_its_policies(self, app_client: TestClient, session: Session) -> None:
        """“你可享受的政策”: the menu entry leads to the firm's own page with the exact amount."""
        org = firm(session, name="常州页面测试科技有限公司", growth="2,000,000")
        make_user(session, username="firmuser", role=Role.enterprise, org_uscc=org.uscc)
        session.commit()
        login(app_client, "firmuser")
        page = app_client.get("/policy/mine")
        assert page.status_code == 200
        assert "你可享受的政策" in page.text
        assert "常州页面测试科技有限公司" in page.text
        assert "180,000.00" in page.text
        assert "按“字面解读”计算，待政策制定部门确认" in page.text

    def test_calculator_shows_brackets_and_the_unconfirmed_reading(
        self, app_client: TestClient, session: Session
    ) -> None:
        """The HTMX calculator renders the bracket table, the 未确认 flag and the other reading's amount."""
        make_user(session, username="calcpage", role=Role.reviewer)
        session.commit()
        token = login(app_client, "calcpage")
        page = app_client.get(f"/policy/clauses/{RD}")
        assert "申兑指南" in page.text
        assert "计算器" in page.text
        resp = app_client.post(
            f"/policy/clauses/{RD}/calculate",
            data={
                "csrf_token": token,
                "period": str(YEAR),
                "enterprise_type": "high_tech",
                "rd_growth": "123456789.87",
            },
            headers={"HX-Request": "true"},
        )
        assert resp.status_code == 200
        assert 'id="brackets"' in resp.text
        assert "23,456,789.87" in resp.text
        assert "4%" in resp.text
        assert "7,158,271.59" in resp.text
        assert 'id="unconfirmed"' in resp.text
        assert "尚未经政策制定部门确认" in resp.text
        assert "7,178,271.59" in resp.text  # the entry-threshold reading's amount

    def test_calculator_reports_a_bad_amount_in_chinese(
        self, app_client: TestClient, session: Session
    ) -> None:
        """A typed “一亿二” style error or 1.2e8 shows a Chinese message in the result area, not a crash."""
        make_user(session, username="calcbad", role=Role.officer)
        session.commit()
        token = login(app_client, "calcbad")
        resp = app_client.post(
            f"/policy/clauses/{RD}/calculate",
            data={
                "csrf_token": token,
                "period": str(YEAR),
                "enterprise_type": "high_tech",
                "rd_growth": "1.2e8",
            },
            headers={"HX-Request": "true"},
        )
        assert 'data-code="policy.amount_scientific"' in resp.text
        assert "不接受科学计数法" in resp.text

    def test_monthly_talent_calculator(self, app_client: TestClient, session: Session) -> None:
        """The young-talent clause is calculated for a month: a master's graduate gets 2,000.00 that month."""
        make_user(session, username="talentcalc", role=Role.reviewer)
        session.commit()
        token = login(app_client, "talentcalc")
        page = app_client.get("/policy/clauses/talent.young_talent_living")
        assert 'name="period" value="2025-12"' in page.text
        form = {
            "csrf_token": token,
            "period": "2025-03",
            "degree": "master",
            "age": "30",
            "months_in_city": "12",
            "social_insurance_paid": "是",
        }
        resp = app_client.post("/policy/clauses/talent.young_talent_living/calculate", data=form)
        assert 'data-amount="2000.00"' in resp.text
        resp = app_client.post(
            "/policy/clauses/talent.young_talent_living/calculate", data={**form, "months_in_city": "37"}
        )
        assert "来常就业后3年（36个月）内" in resp.text
        assert 'data-amount="0.00"' in resp.text

    def test_library_lists_policy_and_sources(self, app_client: TestClient, session: Session) -> None:
        """The library page names the document, its clauses and where each input comes from."""
        make_user(session, username="lib", role=Role.reviewer)
        session.commit()
        login(app_client, "lib")
        page = app_client.get("/policy")
        assert "创新政策20条" in page.text
        assert "青年人才生活补贴" in page.text
        assert "政策数据导入" in page.text
        assert "外部文件（直兑平台等）" in page.text
