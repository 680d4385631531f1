"""Admins revoke API tokens and stop or restart users, on pages, over the API and from the CLI;
a stopped or locked-out user's sessions and tokens open nothing."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import audit, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.cliutil import unit_of_work
from longcheng.core.user_views import least_privileged_role

runner = CliRunner()


def _actions(session: Session, user_id: int) -> list[str]:
    return [r.action for r in audit.history(session, entity_type="user", entity_id=str(user_id))]


def test_deactivation_ends_sessions_and_tokens(app_client: TestClient, session: Session) -> None:
    """Stopping a user on the admin page logs them out everywhere and kills their tokens, for good."""
    make_user(session, username="adm1")
    staff = make_user(session, username="staff1", role=Role.officer)
    token = bearer(session, staff)
    session.commit()
    victim = TestClient(app_client.app, base_url="http://testserver")
    login(victim, "staff1")
    assert victim.get("/registry").status_code == 200
    csrf = login(app_client, "adm1")
    resp = app_client.post(f"/admin/users/{staff.id}/deactivate", data={"reason": "离职", "csrf_token": csrf})
    assert resp.status_code == 200
    assert "已停用" in resp.text
    assert victim.get("/registry", follow_redirects=False).status_code == 303
    assert app_client.get("/api/v1/registry/orgs", headers=token).status_code == 401
    assert "users.deactivate" in _actions(session, staff.id)
    app_client.post(f"/admin/users/{staff.id}/reactivate", data={"csrf_token": csrf})
    login(victim, "staff1")
    assert victim.get("/registry").status_code == 200
    assert app_client.get("/api/v1/registry/orgs", headers=token).status_code == 401  # revoked for good


def test_revoked_token_stops_at_once(app_client: TestClient, session: Session) -> None:
    """Revoking one token over the API makes it answer 401; the user's other token still works."""
    admin = make_user(session, username="adm2")
    admin_headers = bearer(session, admin)
    staff = make_user(session, username="staff2", role=Role.officer)
    first, second = bearer(session, staff), bearer(session, staff)
    session.commit()
    tokens = app_client.get(f"/api/v1/users/{staff.id}/tokens", headers=admin_headers).json()
    assert len(tokens) == 2
    oldest = min(t["id"] for t in tokens)
    resp = app_client.post(f"/api/v1/users/{staff.id}/tokens/{oldest}/revoke", headers=admin_headers)
    assert resp.status_code == 200
    assert resp.json()["revoked_at"] is not None
    assert app_client.get("/api/v1/registry/orgs", headers=first).status_code == 401
    assert app_client.get("/api/v1/registry/orgs", headers=second).status_code == 200
    assert "users.token_revoke" in _actions(session, staff.id)


def test_revoke_on_the_page(app_client: TestClient, session: Session) -> None:
    """The admin's user page lists tokens and revokes one with a button."""
    make_user(session, username="adm3")
    staff = make_user(session, username="staff3", role=Role.officer)
    headers = bearer(session, staff)
    session.commit()
    csrf = login(app_client, "adm3")
    page = app_client.get(f"/admin/users/{staff.id}").text
    token_id = int(page.split('data-token="')[1].split('"')[0])
    app_client.post(f"/admin/users/{staff.id}/tokens/{token_id}/revoke", data={"csrf_token": csrf})
    assert app_client.get("/api/v1/registry/orgs", headers=headers).status_code == 401
    assert "已撤销" in app_client.get(f"/admin/users/{staff.id}").text


def test_locked_out_user_token_and_session_stop(app_client: TestClient, session: Session) -> None:
    """Wrong passwords that lock the account also stop its token and its open session until unlocked."""
    make_user(session, username="adm4")
    staff = make_user(session, username="staff4", role=Role.officer)
    headers = bearer(session, staff)
    session.commit()
    browser = TestClient(app_client.app, base_url="http://testserver")
    login(browser, "staff4")
    attacker = TestClient(app_client.app, base_url="http://testserver")
    csrf = login(attacker, "adm4")  # any session will do for a CSRF token
    for _ in range(5):
        attacker.post("/login", data={"username": "staff4", "password": "guess-guess", "csrf_token": csrf})
    assert app_client.get("/api/v1/registry/orgs", headers=headers).status_code == 401
    assert browser.get("/registry", follow_redirects=False).status_code == 303
    admin = login(app_client, "adm4")
    app_client.post(f"/admin/users/{staff.id}/reactivate", data={"csrf_token": admin})
    assert app_client.get("/api/v1/registry/orgs", headers=headers).status_code == 200


def test_only_admins_and_never_oneself(app_client: TestClient, session: Session) -> None:
    """An officer may not stop anyone (403); an admin may not stop themselves (409)."""
    admin = make_user(session, username="adm5")
    officer = make_user(session, username="off5", role=Role.officer)
    admin_headers, officer_headers = bearer(session, admin), bearer(session, officer)
    session.commit()
    assert (
        app_client.post(f"/api/v1/users/{admin.id}/deactivate", headers=officer_headers, json={}).status_code
        == 403
    )
    resp = app_client.post(f"/api/v1/users/{admin.id}/deactivate", headers=admin_headers, json={})
    assert resp.status_code == 409
    assert resp.json()["code"] == "users.self_deactivate"


def test_cli_deactivate_and_revoke(cli_db: str) -> None:
    """`longcheng users deactivate` and `users revoke-token --all` act and are audited as the system."""
    with unit_of_work() as session:
        user = users.create(
            session, actor=SYSTEM, username="clistaff", password="long-enough-1", role=Role.officer
        )
        users.create_token(session, actor=SYSTEM, user_id=user.id, name="a")
        users.create_token(session, actor=SYSTEM, user_id=user.id, name="b")
    result = runner.invoke(app, ["users", "revoke-token", "--username", "clistaff", "--all"])
    assert result.exit_code == 0, result.output
    assert "2 个" in result.output
    result = runner.invoke(app, ["users", "deactivate", "--username", "clistaff", "--reason", "离职"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["users", "deactivate", "--username", "nobody"])
    assert result.exit_code == 1
    assert "不存在" in result.output
    with unit_of_work() as session:
        stored = users.get_by_username(session, "clistaff")
        assert stored is not None
        assert not stored.is_active
        actions = [r.action for r in audit.history(session, entity_type="user", entity_id=str(stored.id))]
    assert actions.count("users.token_revoke") == 2
    assert "users.deactivate" in actions


def test_new_user_form_defaults_to_the_least_privileged_role(
    app_client: TestClient, session: Session
) -> None:
    """The form preselects the role allowed the fewest actions (never 系统管理员) and offers the
    districts by name from the gazetteer instead of a free-text code."""
    make_user(session, username="boss")
    login(app_client, "boss")
    html = app_client.get("/admin/users").text
    selected = re.search(r'<option value="(\w+)" selected>', html)
    assert selected is not None
    assert selected.group(1) == least_privileged_role().value != Role.admin.value
    assert '<select name="district">' in html
    assert '<option value="xinbei">新北区</option>' in html
    assert 'name="district" placeholder' not in html


def test_a_user_with_a_district_the_gazetteer_does_not_know_is_refused(
    app_client: TestClient, session: Session
) -> None:
    """An officer's district is a gazetteer code; a typo is refused with the choices, nothing written."""
    admin = make_user(session, username="admin-d", role=Role.admin)
    session.commit()
    body = {"username": "typo-officer", "password": "correct-horse-42", "role": "officer", "district": "wujn"}
    resp = app_client.post("/api/v1/users", json=body, headers=bearer(session, admin))
    assert resp.status_code == 422
    assert "武进区" in resp.json()["details"]["district"]
    assert users.get_by_username(session, "typo-officer") is None
    ok = app_client.post("/api/v1/users", json={**body, "district": "wujin"}, headers=bearer(session, admin))
    assert ok.status_code == 201, ok.text
