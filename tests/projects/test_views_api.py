"""The JSON API under /api/v1/projects: codes and statuses programs rely on."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer
from tests.projects.conftest import MakeProject, days_ago

from longcheng.core import users
from longcheng.core.actors import Actor


def _auth(session: Session, username: str) -> dict[str, str]:
    user = users.get_by_username(session, username)
    assert user is not None
    headers = bearer(session, user)
    session.commit()
    return headers


class TestProjectsApi:
    def test_create_returns_the_project_with_warnings(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """POST creates (201); money comes back in fen and yuan; an absurd figure comes back as a warning."""
        headers = _auth(session, "pxinbei")
        resp = app_client.post(
            "/api/v1/projects",
            headers=headers,
            json={
                "name": "接口登记测试项目",
                "district": "新北区",
                "total_investment": "1万亿",
                "land_mu": "5",
                "stage": "签约",
                "signed_on": days_ago(40).isoformat(),
                "lists": ["市重大"],
            },
        )
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["total_investment_fen"] == 10**12 * 100
        assert body["total_investment_yuan"] == "1000000000000.00"
        assert body["stage"] == "signed"
        assert body["lists"] == ["市重大"]
        assert any("投资强度" in w for w in body["warnings"])
        assert body["plan"]
        assert {"code", "planned", "light", "reason"} <= set(body["plan"][1])

    def test_invalid_input_is_422_with_field_details(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """An unknown district and a negative amount are reported per field, in Chinese."""
        headers = _auth(session, "padmin")
        resp = app_client.post(
            "/api/v1/projects",
            headers=headers,
            json={"name": "错误输入项目", "district": "火星区", "total_investment": "-1"},
        )
        assert resp.status_code == 422
        details = resp.json()["details"]
        assert "火星区" in details["district"]
        assert "负数" in details["total_investment"]

    def test_hidden_characters_are_refused_and_full_width_digits_folded(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """A name with a direction override or a line break is refused per field; ＡＢＣ１２ folds."""
        headers = _auth(session, "padmin")
        base = {"district": "新北区", "total_investment": "100"}
        bad = app_client.post("/api/v1/projects", headers=headers, json={**base, "name": "储能\u202e项目"})
        assert bad.status_code == 422
        assert "文字方向控制字符" in bad.json()["details"]["name"]
        broken = app_client.post("/api/v1/projects", headers=headers, json={**base, "name": "储能\n项目"})
        assert "换行" in broken.json()["details"]["name"]
        ok = app_client.post(
            "/api/v1/projects",
            headers=headers,
            json={**base, "name": "ＡＢＣ１２  储能项目", "summary": "第一行\n第二行"},
        )
        assert ok.status_code == 201, ok.text
        assert ok.json()["name"] == "ABC12 储能项目"

    def test_stale_put_is_409_and_stage_by_outsider_is_403(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A partial PUT keeps the rest; a stale version gets ``projects.stale_version``; a stage change by
        an outsider gets ``projects.not_responsible``."""
        p = make_project(stage="signed", signed_on=days_ago(30))
        mine, city = _auth(session, "pxinbei"), _auth(session, "pcity")
        body = {"name": "改名一次", "district": "xinbei", "version": 1}
        first = app_client.put(f"/api/v1/projects/{p.code}", headers=mine, json=body)
        assert first.status_code == 200
        assert first.json()["name"] == "改名一次"
        assert first.json()["total_investment_fen"] == p.total_investment_fen, "fields left out are kept"
        stale = app_client.put(f"/api/v1/projects/{p.code}", headers=mine, json={**body, "name": "改名两次"})
        assert stale.status_code == 409
        assert stale.json()["code"] == "projects.stale_version"
        refused = app_client.post(
            f"/api/v1/projects/{p.code}/stage",
            headers=city,
            json={"stage": "registered", "on": days_ago(1).isoformat()},
        )
        assert refused.status_code == 403
        assert refused.json()["code"] == "projects.not_responsible"

    def test_list_filters_by_light_and_stage(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The list API pages and filters like the page does."""
        make_project(stage="signed", signed_on=days_ago(90))
        make_project()
        headers = _auth(session, "paudit")
        red = app_client.get("/api/v1/projects", headers=headers, params={"light": "red"}).json()
        assert red["total"] == 1
        assert red["items"][0]["stage"] == "signed"
        leads = app_client.get("/api/v1/projects", headers=headers, params={"stage": "lead"}).json()
        assert leads["total"] == 1

    def test_thresholds_round_trip(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """GET shows the defaults; PUT by an admin changes them and returns the new version."""
        headers = _auth(session, "padmin")
        current = app_client.get("/api/v1/projects/thresholds", headers=headers).json()
        assert current["node_yellow_within_working_days"] == 5
        assert current["version"] is None
        changed = app_client.put(
            "/api/v1/projects/thresholds",
            headers=headers,
            json={
                **{k: v for k, v in current.items() if k != "version"},
                "node_yellow_within_working_days": 10,
                "reason": "测试",
            },
        )
        assert changed.status_code == 200
        assert changed.json()["node_yellow_within_working_days"] == 10
        assert changed.json()["version"] == 1
