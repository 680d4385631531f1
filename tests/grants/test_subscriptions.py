"""Window subscriptions: a firm follows a programme and hears, through the notification centre,
once that a window opens in 3 days and once 3 days before it closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, csrf_from, login, make_org, make_user
from tests.grants.conftest import MakeProgramme

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import SHANGHAI
from longcheng.grants.notices import service as notices
from longcheng.grants.notices.tasks import WINDOW_REMINDERS
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import WindowIn
from longcheng.platform.jobs import kinds

OPENS = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)
CLOSES = datetime(2026, 3, 20, 17, 0, tzinfo=SHANGHAI)


def _titles(client: TestClient, headers: dict[str, str]) -> list[str]:
    inbox = client.get("/api/v1/notifications", headers=headers).json()
    return [n["title"] for n in inbox["items"]]


def test_subscribed_firm_is_reminded_once_before_opening_and_before_closing(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    programme = make_programme(name="订阅测试专项")
    data = WindowIn.model_validate(
        {"code": "W1", "name": "第一批", "fiscal_year": 2026, "opens_at": OPENS, "closes_at": CLOSES}
    )
    programmes.add_window(session, actor=SYSTEM, programme_code=programme.code, data=data)
    org, other = make_org(session), make_org(session)
    user = make_user(session, username="gsubfirm", role=Role.enterprise, org_uscc=org.uscc)
    quiet = make_user(session, username="gsubquiet", role=Role.enterprise, org_uscc=other.uscc)
    login(app_client, "gsubfirm")
    page = app_client.get(f"/grants/programmes/{programme.code}")
    assert "订阅本专项" in page.text
    resp = app_client.post(
        f"/grants/programmes/{programme.code}/subscribe", data={"csrf_token": csrf_from(page.text)}
    )
    assert "已订阅" in resp.text
    headers, quiet_headers = bearer(session, user), bearer(session, quiet)

    assert notices.remind_windows(session, actor=SYSTEM, now=OPENS - timedelta(days=5)) == 0
    assert notices.remind_windows(session, actor=SYSTEM, now=OPENS - timedelta(days=3)) == 1
    assert notices.remind_windows(session, actor=SYSTEM, now=OPENS - timedelta(days=2)) == 0  # once
    assert _titles(app_client, headers) == ["申报窗口将于3天后开放：订阅测试专项（第一批）"]
    assert notices.remind_windows(session, actor=SYSTEM, now=CLOSES - timedelta(days=4)) == 0
    assert notices.remind_windows(session, actor=SYSTEM, now=CLOSES - timedelta(days=3)) == 1
    assert _titles(app_client, headers)[0] == "申报截止前3天：订阅测试专项（第一批）"
    assert _titles(app_client, quiet_headers) == []
    assert kinds.get(WINDOW_REMINDERS) is not None


def test_unsubscribed_firm_hears_nothing(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    programme = make_programme()
    data = WindowIn.model_validate(
        {"code": "W1", "name": "第一批", "fiscal_year": 2026, "opens_at": OPENS, "closes_at": CLOSES}
    )
    programmes.add_window(session, actor=SYSTEM, programme_code=programme.code, data=data)
    make_user(session, username="gsubgone", role=Role.enterprise, org_uscc=make_org(session).uscc)
    login(app_client, "gsubgone")
    token = csrf_from(app_client.get(f"/grants/programmes/{programme.code}").text)
    app_client.post(f"/grants/programmes/{programme.code}/subscribe", data={"csrf_token": token})
    page = app_client.post(f"/grants/programmes/{programme.code}/unsubscribe", data={"csrf_token": token})
    assert "订阅本专项" in page.text
    assert notices.remind_windows(session, actor=SYSTEM, now=OPENS - timedelta(days=3)) == 0
