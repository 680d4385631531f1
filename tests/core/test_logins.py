"""Login sessions live on the server: listed on the account page, ended on logout, password
change and deactivation, so a copied cookie stops working; CSRF keeps working."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import PASSWORD, csrf_from, login, make_user

from longcheng.core import audit, logins


def _copy(client: TestClient) -> TestClient:
    """A second browser holding a copy of the first one's cookie (what a thief would do)."""
    thief = TestClient(client.app, base_url="http://testserver")
    thief.cookies.set("longcheng_session", client.cookies["longcheng_session"])
    return thief


def _opens(client: TestClient) -> bool:
    return client.get("/account", follow_redirects=False).status_code == 200


def test_copied_cookie_stops_working_after_logout(app_client: TestClient, session: Session) -> None:
    """Before the fix a copied cookie stayed valid for 8 h after logout; now logout ends it."""
    make_user(session, username="sess1")
    session.commit()
    csrf = login(app_client, "sess1")
    thief = _copy(app_client)
    assert _opens(thief)
    app_client.post("/logout", data={"csrf_token": csrf})
    assert not _opens(thief)
    assert not _opens(app_client)


def test_account_page_lists_sessions_with_device_and_ip(app_client: TestClient, session: Session) -> None:
    """The user's own page shows each login: device (user agent), IP, when, and which is current."""
    make_user(session, username="sess2")
    session.commit()
    login(app_client, "sess2")
    other = TestClient(
        app_client.app, base_url="http://testserver", headers={"user-agent": "Mobile-Phone-Browser/1.0"}
    )
    login(other, "sess2")
    page = app_client.get("/account").text
    assert page.count("data-login=") == 2
    assert "Mobile-Phone-Browser/1.0" in page
    assert "当前会话" in page
    assert "testclient" in page


def test_ending_another_session_logs_that_device_out(app_client: TestClient, session: Session) -> None:
    """Ending a session from the account page logs that device out and is audited."""
    user = make_user(session, username="sess3")
    session.commit()
    csrf = login(app_client, "sess3")
    other = TestClient(app_client.app, base_url="http://testserver")
    login(other, "sess3")
    mine = logins.list_for_user(session, actor=user.to_actor(), user_id=user.id)
    target = max(s.id for s in mine)
    resp = app_client.post(f"/account/sessions/{target}/end", data={"csrf_token": csrf})
    assert resp.status_code == 200  # redirected back to the account page
    assert not _opens(other)
    assert _opens(app_client)
    actions = [r.action for r in audit.history(session, entity_type="user", entity_id=str(user.id))]
    assert "auth.session_end" in actions


def test_password_change_ends_other_sessions(app_client: TestClient, session: Session) -> None:
    """Changing the password keeps this session and ends every other one."""
    make_user(session, username="sess4")
    session.commit()
    csrf = login(app_client, "sess4")
    thief = _copy(app_client)
    other = TestClient(app_client.app, base_url="http://testserver")
    login(other, "sess4")
    resp = app_client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a-new-password-9", "csrf_token": csrf},
    )
    assert resp.status_code == 200
    assert "密码已修改" in resp.text
    assert not _opens(other)
    assert _opens(app_client)
    # the copied cookie is the same session as this browser: it lives until logout
    app_client.post("/logout", data={"csrf_token": csrf})
    assert not _opens(thief)
    login(app_client, "sess4", "a-new-password-9")


def test_wrong_current_password_changes_nothing(app_client: TestClient, session: Session) -> None:
    """A wrong current password gives a 422 with a Chinese message and keeps the old password."""
    make_user(session, username="sess5")
    session.commit()
    csrf = login(app_client, "sess5")
    resp = app_client.post(
        "/account/password",
        data={"current_password": "wrong-one-123", "new_password": "a-new-password-9", "csrf_token": csrf},
    )
    assert resp.status_code == 422
    assert "当前密码不正确" in resp.text
    app_client.post("/logout", data={"csrf_token": csrf})
    login(app_client, "sess5")


def test_csrf_still_guards_forms(app_client: TestClient, session: Session) -> None:
    """A logged-in post without the page's CSRF token is refused; the cookie keeps the token."""
    make_user(session, username="sess6")
    session.commit()
    login(app_client, "sess6")
    assert app_client.post("/logout").status_code == 403
    token = csrf_from(app_client.get("/account").text)
    assert app_client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303


def test_each_login_gets_a_new_session_key(app_client: TestClient, session: Session) -> None:
    """Logging in again replaces the cookie's key (no session fixation); only hashes are stored."""
    make_user(session, username="sess7")
    session.commit()
    login(app_client, "sess7")
    first = app_client.cookies["longcheng_session"]
    login(app_client, "sess7")
    assert app_client.cookies["longcheng_session"] != first
    hashes = session.scalars(select(logins.LoginSession.key_hash)).all()
    assert all(len(h) == 64 for h in hashes)
