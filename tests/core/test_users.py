"""User administration over HTTP: only admins manage users; tokens work once issued."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user

from longcheng.core.actors import Role


class TestUsersPage:
    def test_admin_creates_a_user_who_can_log_in(self, app_client: TestClient, session: Session) -> None:
        """An admin creates an officer through the form; the officer can then log in."""
        make_user(session, username="boss")
        session.commit()
        token = login(app_client, "boss")
        resp = app_client.post(
            "/admin/users",
            data={
                "username": "newbie",
                "password": "long-enough-1",
                "role": "officer",
                "district": "wujin",
                "csrf_token": token,
            },
        )
        assert resp.status_code == 200
        assert "newbie" in resp.text
        app_client.post("/logout", data={"csrf_token": token})
        login(app_client, "newbie", "long-enough-1")
        assert app_client.get("/registry").status_code == 200

    def test_short_password_is_refused(self, app_client: TestClient, session: Session) -> None:
        """A password under eight characters is refused with a Chinese message."""
        make_user(session, username="boss2")
        session.commit()
        token = login(app_client, "boss2")
        resp = app_client.post(
            "/admin/users",
            data={"username": "weak", "password": "short", "role": "officer", "csrf_token": token},
        )
        assert resp.status_code == 422
        assert "密码至少 8 位" in resp.text

    def test_officer_cannot_manage_users(self, app_client: TestClient, session: Session) -> None:
        """Only admins see or create users."""
        officer = make_user(session, username="off1", role=Role.officer)
        headers = bearer(session, officer)
        session.commit()
        assert app_client.get("/api/v1/users", headers=headers).status_code == 403
        resp = app_client.post(
            "/api/v1/users",
            headers=headers,
            json={"username": "x1", "password": "long-enough-1", "role": "admin"},
        )
        assert resp.status_code == 403

    def test_issued_token_authenticates_the_api(self, app_client: TestClient, session: Session) -> None:
        """A token issued on the page is shown once and opens the API."""
        admin = make_user(session, username="boss3")
        session.commit()
        csrf = login(app_client, "boss3")
        page = app_client.post(f"/admin/users/{admin.id}/token", data={"csrf_token": csrf}).text
        token = page.split('id="new-token"')[1].split("<code>")[1].split("</code>")[0]
        anon = TestClient(app_client.app)
        assert anon.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert anon.get("/api/v1/users", headers={"Authorization": "Bearer nonsense"}).status_code == 401


class TestUnknownRole:
    def test_form_with_unknown_role_is_a_422_page(self, app_client: TestClient, session: Session) -> None:
        """The form posting role=superuser shows the Chinese role message (422), never a 500."""
        make_user(session, username="boss4")
        session.commit()
        token = login(app_client, "boss4")
        resp = app_client.post(
            "/admin/users",
            data={
                "username": "sneaky",
                "password": "long-enough-1",
                "role": "superuser",
                "csrf_token": token,
            },
        )
        assert resp.status_code == 422
        assert "角色无效" in resp.text
        assert "sneaky" not in resp.text.split("新建用户")[0]

    def test_api_and_form_refuse_the_same_way(self, app_client: TestClient, session: Session) -> None:
        """The API gives the same code and field message as the form for an unknown role."""
        admin = make_user(session, username="boss5")
        headers = bearer(session, admin)
        session.commit()
        resp = app_client.post(
            "/api/v1/users",
            headers=headers,
            json={"username": "sneaky2", "password": "long-enough-1", "role": "superuser"},
        )
        assert resp.status_code == 422
        body = resp.json()
        assert body["code"] == "users.invalid"
        assert "角色无效" in body["details"]["role"]
