"""The notification centre: recipients, the inbox over HTTP, read marks, preferences."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.platform.notifications import service
from longcheng.platform.notifications.models import EmailState
from longcheng.platform.notifications.schemas import Recipients, Source

SRC = Source("projects", "projects_project", "7")


def test_recipients_by_uscc_and_role_district(session: Session) -> None:
    """A USCC reaches its firm's enterprise users; a role+district also reaches city-wide ones."""
    firm = make_user(session, username="nfirm", role=Role.enterprise, org_uscc="91320400MA1X000001")
    make_user(session, username="nother", role=Role.enterprise, org_uscc="91320400MA1X000002")
    xinbei = make_user(session, username="nxb", role=Role.officer, district="xinbei")
    city = make_user(session, username="ncity", role=Role.officer)
    make_user(session, username="nwj", role=Role.officer, district="wujin")
    assert service.resolve(session, Recipients(uscc="91320400MA1X000001")) == [firm.id]
    assert service.resolve(session, Recipients(role=Role.officer, district="xinbei")) == sorted(
        [xinbei.id, city.id]
    )


def test_notify_is_idempotent_by_key_and_sets_email_mode(session: Session) -> None:
    """The same dedupe key writes once per user; enterprises default to the digest, staff to immediate."""
    firm = make_user(session, username="nfirm2", role=Role.enterprise, org_uscc="91320400MA1X000003")
    officer = make_user(session, username="noff2", role=Role.officer)
    for user in (firm, officer):
        service.set_preference(
            session,
            actor=user.to_actor(),
            email=f"{user.username}@example.cn",
            mode=service.default_mode(user.role),
        )
    recipients = Recipients(user_ids=(officer.id,), uscc="91320400MA1X000003")
    first = service.notify(
        session, actor=SYSTEM, recipients=recipients, kind="t", title="标题", source=SRC, dedupe_key="k1"
    )
    again = service.notify(
        session, actor=SYSTEM, recipients=recipients, kind="t", title="标题", source=SRC, dedupe_key="k1"
    )
    assert again == []
    states = {n.user_id: n.email_state for n in first}
    assert states == {firm.id: EmailState.digest.value, officer.id: EmailState.pending.value}


def test_inbox_pages_filter_read_and_badge(app_client: TestClient, session: Session) -> None:
    """我的消息 lists the user's messages; the badge shows on every page; read marks lower the count."""
    user = make_user(session, username="nreader", role=Role.officer)
    other = make_user(session, username="nstranger", role=Role.officer)
    for i in range(3):
        service.notify(
            session,
            actor=SYSTEM,
            recipients=Recipients(user_ids=(user.id,)),
            kind="t",
            title=f"督办提醒{i}",
            body="请及时答复",
            link="/projects",
            source=SRC,
        )
    session.commit()
    token = login(app_client, "nreader")
    assert 'hx-get="/messages-unread"' in app_client.get("/jobs").text
    assert app_client.get("/messages-unread").text.endswith(">3</span>")
    page = app_client.get("/messages")
    assert "督办提醒2" in page.text
    assert "请及时答复" in page.text
    items = app_client.get("/api/v1/notifications").json()["items"]
    opened = app_client.get(f"/messages/{items[0]['id']}", follow_redirects=False)
    assert (opened.status_code, opened.headers["location"]) == (303, "/projects")
    assert "督办提醒2" not in app_client.get("/messages?unread=true").text
    theirs = bearer(session, other)
    session.commit()
    assert app_client.post(f"/api/v1/notifications/{items[1]['id']}/read", headers=theirs).status_code == 404
    app_client.post("/messages/read-all", data={"csrf_token": token})
    assert app_client.get("/messages-unread").text == ""
    assert app_client.get("/policy/inbox", follow_redirects=False).headers["location"] == "/messages"


def test_bad_email_preference_is_refused(app_client: TestClient, session: Session) -> None:
    """An address without @ is a 422 with a Chinese message, not stored."""
    make_user(session, username="nprefs", role=Role.officer)
    session.commit()
    token = login(app_client, "nprefs")
    resp = app_client.post(
        "/messages/preference", data={"csrf_token": token, "email": "不是邮箱", "mode": "digest"}
    )
    assert resp.status_code == 422
    assert "邮箱地址格式不正确" in resp.text
