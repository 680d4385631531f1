"""The enterprise inbox over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.support import YEAR, firm, rd

from longcheng.core.actors import Role


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
        assert resp.status_code == 404
        assert app_client.get("/api/v1/policy/notifications", headers=admin).status_code == 403

    def test_reading_the_message_in_the_centre_marks_the_inbox_read_too(
        self, app_client: TestClient, session: Session
    ) -> None:
        """A firm reads the policy message in 消息中心: the policy inbox no longer counts it unread."""
        org = firm(session, growth="2,000,000")
        admin = bearer(session, make_user(session, username="pusher3", role=Role.admin))
        headers = bearer(
            session, make_user(session, username="centrefirm", role=Role.enterprise, org_uscc=org.uscc)
        )
        session.commit()
        app_client.post("/api/v1/policy/runs", json={"year": YEAR}, headers=admin)
        assert app_client.get("/api/v1/policy/notifications", headers=headers).json()["unread"] == 1
        centre = app_client.get("/api/v1/notifications", headers=headers).json()["items"]
        (message,) = [m for m in centre if m["source_module"] == "policy"]
        assert (
            app_client.post(f"/api/v1/notifications/{message['id']}/read", headers=headers).status_code == 200
        )
        assert app_client.get("/api/v1/policy/notifications", headers=headers).json()["unread"] == 0
