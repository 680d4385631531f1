"""The registry over HTTP: list, filters, export, forms, permissions, CSRF and login limits."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, csrf_from, login, make_org, make_user, new_uscc

from longcheng.core.actors import Role
from longcheng.registry.models import Organisation


class TestLogin:
    def test_anonymous_page_redirects_to_login(self, app_client: TestClient) -> None:
        """Pages ask for a login first and come back afterwards."""
        resp = app_client.get("/registry", follow_redirects=False)
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/login?next=/registry")

    def test_anonymous_api_gets_401_json(self, app_client: TestClient) -> None:
        """Programs get a JSON error with a stable code, not a login page."""
        resp = app_client.get("/api/v1/registry/orgs")
        assert resp.status_code == 401
        assert resp.json()["code"] == "unauthenticated"

    def test_five_wrong_passwords_lock_the_account(self, app_client: TestClient, session: Session) -> None:
        """After five wrong passwords even the right one is refused, with a Chinese message."""
        make_user(session, username="lockme")
        session.commit()
        token = csrf_from(app_client.get("/login").text)
        for _ in range(5):
            resp = app_client.post(
                "/login", data={"username": "lockme", "password": "wrong-pass", "csrf_token": token}
            )
            assert resp.status_code == 401
        assert 'data-code="auth.locked"' in resp.text
        resp = app_client.post(
            "/login",
            data={"username": "lockme", "password": "correct-horse-42", "csrf_token": token},
            follow_redirects=False,
        )
        assert resp.status_code == 401
        assert "账户已锁定" in resp.text

    def test_login_form_without_csrf_is_refused(self, app_client: TestClient, session: Session) -> None:
        """A form posted without its CSRF token is refused and nothing happens."""
        make_user(session, username="nocsrf")
        session.commit()
        resp = app_client.post(
            "/login", data={"username": "nocsrf", "password": "correct-horse-42"}, follow_redirects=False
        )
        assert resp.status_code == 403
        assert "csrf.invalid" in resp.text


class TestList:
    def test_search_filter_and_export_match(self, app_client: TestClient, session: Session) -> None:
        """The export holds exactly the rows the filtered list shows."""
        make_user(session, username="admin1")
        make_org(session, name="常州星河光伏科技有限公司", district="xinbei")
        make_org(session, name="常州星河锂电有限公司", district="wujin")
        make_org(session, name="常州其他机械有限公司", district="xinbei")
        session.commit()
        login(app_client, "admin1")
        page = app_client.get("/registry", params={"q": "星河", "district": "xinbei"})
        assert "共 1 条" in page.text
        assert "星河光伏" in page.text
        assert "星河锂电" not in page.text
        resp = app_client.get("/registry/export.xlsx", params={"q": "星河", "district": "xinbei"})
        ws = load_workbook(io.BytesIO(resp.content)).active
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0][:2] == ("统一社会信用代码", "机构名称")
        assert [r[1] for r in rows[1:]] == ["常州星河光伏科技有限公司"]

    def test_one_character_search_and_former_names(self, app_client: TestClient, session: Session) -> None:
        """A single character finds names, and former names are searched too."""
        make_user(session, username="admin2")
        make_org(session, name="常州锂想能源有限公司", former_names=["常州旧名锂业有限公司"])
        session.commit()
        login(app_client, "admin2")
        assert "锂想能源" in app_client.get("/registry", params={"q": "锂"}).text
        assert "锂想能源" in app_client.get("/registry", params={"q": "旧名锂业"}).text

    def test_api_pages_and_sorts(self, app_client: TestClient, session: Session) -> None:
        """The API pages through a sorted list with a total."""
        user = make_user(session, username="api1")
        for i in range(5):
            make_org(session, name=f"常州排序{i}有限公司")
        headers = bearer(session, user)
        session.commit()
        resp = app_client.get(
            "/api/v1/registry/orgs",
            params={"q": "排序", "page_size": 2, "page": 2, "sort": "-name"},
            headers=headers,
        )
        body = resp.json()
        assert body["total"] == 5
        assert [o["name"] for o in body["items"]] == ["常州排序2有限公司", "常州排序1有限公司"]


class TestEnterpriseScope:
    def test_enterprise_sees_only_its_own_org(self, app_client: TestClient, session: Session) -> None:
        """An enterprise user gets its own file and a 404 for any other firm, as for a wrong code."""
        own = make_org(session, name="常州自家科技有限公司")
        other = make_org(session, name="常州别家科技有限公司")
        user = make_user(session, username="firm1", role=Role.enterprise, org_uscc=own.uscc)
        headers = bearer(session, user)
        session.commit()
        assert app_client.get(f"/api/v1/registry/orgs/{own.uscc}", headers=headers).status_code == 200
        resp = app_client.get(f"/api/v1/registry/orgs/{other.uscc}", headers=headers)
        assert resp.status_code == 404
        listing = app_client.get("/api/v1/registry/orgs", headers=headers).json()
        assert [o["uscc"] for o in listing["items"]] == [own.uscc]
        login(app_client, "firm1")
        assert app_client.get(f"/registry/{other.uscc}").status_code == 404


class TestCreateAndEdit:
    def test_wrong_check_digit_is_rejected_in_chinese(self, app_client: TestClient, session: Session) -> None:
        """The form says the check digit is wrong and writes nothing."""
        make_user(session, username="admin3")
        session.commit()
        token = login(app_client, "admin3")
        good = new_uscc()
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        resp = app_client.post(
            "/registry/new", data={"uscc": bad, "name": "常州错码有限公司", "csrf_token": token}
        )
        assert resp.status_code == 422
        assert "校验位错误" in resp.text
        assert session.query(Organisation).filter_by(name="常州错码有限公司").count() == 0

    def test_create_then_edit_keeps_history(self, app_client: TestClient, session: Session) -> None:
        """A renamed firm keeps its former name, and the detail page shows both changes."""
        make_user(session, username="admin4")
        session.commit()
        token = login(app_client, "admin4")
        code = new_uscc()
        resp = app_client.post(
            "/registry/new",
            data={
                "uscc": code,
                "name": "常州初名有限公司",
                "district": "xinbei",
                "park": "cz_hitech",
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert resp.status_code == 303
        resp = app_client.post(
            f"/registry/{code}/edit",
            data={
                "name": "常州新名有限公司",
                "version": "1",
                "district": "xinbei",
                "reason": "更名",
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert resp.status_code == 303
        page = app_client.get(f"/registry/{code}").text
        assert "常州新名有限公司" in page
        assert "常州初名有限公司" in page
        assert "修改机构信息" in page
        assert "registry.org.update" not in page
        assert "更名" in page

    def test_concurrent_edit_gets_conflict(self, app_client: TestClient, session: Session) -> None:
        """The second of two editors who saw the same version gets 409 and the first edit stays."""
        user = make_user(session, username="admin5")
        org = make_org(session, name="常州并发有限公司")
        headers = bearer(session, user)
        session.commit()
        first = app_client.put(
            f"/api/v1/registry/orgs/{org.uscc}",
            headers=headers,
            json={"name": "常州并发甲有限公司", "version": 1},
        )
        assert first.status_code == 200
        second = app_client.put(
            f"/api/v1/registry/orgs/{org.uscc}",
            headers=headers,
            json={"name": "常州并发乙有限公司", "version": 1},
        )
        assert second.status_code == 409
        assert second.json()["code"] == "registry.stale_version"
        assert (
            app_client.get(f"/api/v1/registry/orgs/{org.uscc}", headers=headers).json()["name"]
            == "常州并发甲有限公司"
        )

    def test_unknown_district_is_named(self, app_client: TestClient, session: Session) -> None:
        """An unknown district is rejected with the allowed values listed."""
        user = make_user(session, username="admin6")
        headers = bearer(session, user)
        session.commit()
        resp = app_client.post(
            "/api/v1/registry/orgs",
            headers=headers,
            json={"uscc": new_uscc(), "name": "常州某某有限公司", "district": "火星区"},
        )
        assert resp.status_code == 422
        assert "未知的所属区" in resp.json()["details"]["district"]


class TestDashboard:
    def test_dashboard_shows_counts_and_charts(self, app_client: TestClient, session: Session) -> None:
        """The home page counts organisations by district and carries chart data."""
        make_user(session, username="admin7")
        make_org(session, district="liyang")
        session.commit()
        login(app_client, "admin7")
        page = app_client.get("/").text
        assert 'data-chart="spec-district"' in page
        assert "溧阳市" in page
        assert "/static/vendor/echarts.min.js" in page

    def test_static_assets_served_locally(self, app_client: TestClient) -> None:
        """htmx and ECharts come from this server, not a CDN."""
        assert app_client.get("/static/vendor/htmx.min.js").status_code == 200
        assert app_client.get("/static/vendor/echarts.min.js").status_code == 200

    def test_openapi_and_health(self, app_client: TestClient) -> None:
        """The API describes itself and the health check answers."""
        assert "/api/v1/registry/orgs" in app_client.get("/openapi.json").json()["paths"]
        assert app_client.get("/healthz").json() == {"status": "ok"}


class TestNameSearch:
    def test_substring_semantics_with_pairs_and_punctuation(
        self, app_client: TestClient, session: Session
    ) -> None:
        """Searching finds exact substrings only, across names with brackets and Latin letters."""
        user = make_user(session, username="search1")
        make_org(session, name="天合光能（常州）科技有限公司")
        make_org(session, name="常州光明能源有限公司")
        make_org(session, name="常州ABC智能装备有限公司")
        headers = bearer(session, user)
        session.commit()

        def names(q: str) -> set[str]:
            resp = app_client.get("/api/v1/registry/orgs", params={"q": q, "page_size": 50}, headers=headers)
            return {o["name"] for o in resp.json()["items"]}

        assert names("光能") == {"天合光能（常州）科技有限公司"}
        assert names("光") == {"天合光能（常州）科技有限公司", "常州光明能源有限公司"}
        assert names("（常州）科技") == {"天合光能（常州）科技有限公司"}
        assert names("abc智能") == {"常州ABC智能装备有限公司"}
        assert names("能光") == set()

    def test_renamed_org_is_found_by_both_names(self, app_client: TestClient, session: Session) -> None:
        """After a rename the index holds the new name and the former one."""
        user = make_user(session, username="search2")
        org = make_org(session, name="常州旧称电子有限公司")
        headers = bearer(session, user)
        session.commit()
        resp = app_client.put(
            f"/api/v1/registry/orgs/{org.uscc}",
            headers=headers,
            json={"name": "常州新称电子有限公司", "version": 1},
        )
        assert resp.status_code == 200
        for q in ("新称", "旧称"):
            found = app_client.get("/api/v1/registry/orgs", params={"q": q}, headers=headers).json()["items"]
            assert [o["uscc"] for o in found] == [org.uscc]
