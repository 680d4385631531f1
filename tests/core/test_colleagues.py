"""A firm's user adds the colleagues who act for the firm (经办人) and stops one who has left; a
colleague sees the firm's own data and nobody can add to, or stop, another firm's accounts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user

from longcheng.core import audit
from longcheng.core.actors import Role
from longcheng.core.users import User


def _firm_user(session: Session, username: str) -> tuple[User, str]:
    org = make_org(session)
    return make_user(session, username=username, role=Role.enterprise, org_uscc=org.uscc), org.uscc


def test_a_firm_adds_a_colleague_who_then_acts_for_it_and_is_stopped_on_leaving(
    app_client: TestClient, session: Session
) -> None:
    boss, uscc = _firm_user(session, "firm_boss")
    session.commit()
    csrf = login(app_client, "firm_boss")
    page = app_client.get("/account")
    assert "本企业经办人" in page.text
    added = app_client.post(
        "/account/colleagues",
        data={
            "username": "firm_clerk",
            "display_name": "张经办",
            "password": "clerk-pass-1",
            "csrf_token": csrf,
        },
    )
    assert added.status_code == 200
    assert "已添加经办人“张经办”" in added.text
    clerk = session.scalar(select(User).where(User.username == "firm_clerk"))
    assert clerk is not None
    assert (clerk.role, clerk.org_uscc) == ("enterprise", uscc)
    assert [r.actor_id for r in audit.history(session, entity_type="user", entity_id=str(clerk.id))] == [
        boss.id
    ]
    colleague = TestClient(app_client.app, base_url="http://testserver")
    login(colleague, "firm_clerk", "clerk-pass-1")
    assert colleague.get(f"/api/v1/registry/orgs/{uscc}").status_code == 200
    stopped = app_client.post(f"/account/colleagues/{clerk.id}/stop", data={"csrf_token": csrf})
    assert "已停用经办人“张经办”" in stopped.text
    assert colleague.get("/account", follow_redirects=False).status_code == 303


def test_bad_input_and_other_firms_are_refused_and_nothing_is_written(
    app_client: TestClient, session: Session
) -> None:
    _firm_user(session, "firm_a")
    other, _ = _firm_user(session, "firm_b")
    make_user(session, username="officer_c", role=Role.officer)
    session.commit()
    csrf = login(app_client, "firm_a")
    short = app_client.post(
        "/account/colleagues",
        data={"username": "x", "display_name": "李", "password": "short", "csrf_token": csrf},
    )
    assert short.status_code == 422
    assert "密码至少 8 位" in short.text
    assert "用户名须为" in short.text
    assert session.scalar(select(User).where(User.username == "x")) is None
    foreign = app_client.post(f"/account/colleagues/{other.id}/stop", data={"csrf_token": csrf})
    assert foreign.status_code == 404
    session.refresh(other)
    assert other.is_active
    officer = TestClient(app_client.app, base_url="http://testserver")
    token = login(officer, "officer_c")
    assert "本企业经办人" not in officer.get("/account").text
    refused = officer.post(
        "/account/colleagues",
        data={"username": "sneaky", "display_name": "王", "password": "sneaky-pass", "csrf_token": token},
    )
    assert refused.status_code == 403
