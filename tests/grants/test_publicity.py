"""公示 on a public page without login: objections with contact details, the end of the notice
period, and an unresolved objection blocking the decision until it is answered and resolved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, csrf_from, make_user
from tests.grants.conftest import MakeProgramme
from tests.grants.test_applications import _end_publicity, _firm, _ready, _walk, _window

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.core.errors import Conflict
from longcheng.grants.applications.service import apply
from longcheng.grants.applications.service.base import get
from longcheng.grants.publicity import service as publicity


def _on_notice(
    client: TestClient, session: Session, make_programme: MakeProgramme
) -> tuple[str, dict[str, str]]:
    window = _window(session, make_programme())
    firm, _ = _firm(session)
    number = _ready(session, firm, window)
    apply.submit(session, actor=firm, number=number, pledge=True)
    officer = bearer(session, make_user(session, username="gpub", role=Role.officer))
    _walk(client, number, officer, ["first_review", "second_review", "expert_review", "financial_review"])
    client.put(
        f"/api/v1/grants/applications/{number}/amount", json={"approved_fen": 30_000_00}, headers=officer
    )
    _walk(client, number, officer, ["proposed", "publicised"])
    return number, officer


def test_public_objection_blocks_the_decision_until_resolved(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    number, officer = _on_notice(app_client, session, make_programme)
    page = app_client.get("/public/grants/notices")
    assert page.status_code == 200
    assert "3.00" in page.text  # 30,000 yuan shown as 3.00 万元
    form = {
        "csrf_token": csrf_from(page.text),
        "name": "李某",
        "contact": "13900000000",
        "body": "该企业项目未实际建成。",
    }
    lodged = app_client.post(f"/public/grants/notices/{number}/objections", data=form)
    assert lodged.status_code == 200
    assert "已收到" in lodged.text
    blocked = app_client.post(
        f"/api/v1/grants/applications/{number}/move", json={"to_stage": "decided"}, headers=officer
    )
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "grants.objection_unresolved"
    objection = publicity.objections_of(session, get(session, actor=SYSTEM, number=number).id)[0]
    publicity.reply(
        session, actor=SYSTEM, objection_id=objection.id, text="经现场核查，项目已建成。", resolved=True
    )
    early = app_client.post(
        f"/api/v1/grants/applications/{number}/move", json={"to_stage": "decided"}, headers=officer
    )
    assert early.json()["code"] == "grants.publicity_not_ended"
    _end_publicity(session, number)
    done = app_client.post(
        f"/api/v1/grants/applications/{number}/move", json={"to_stage": "decided"}, headers=officer
    )
    assert done.json()["stage"] == "decided"
    archive = app_client.get("/public/grants/notices", params={"archive": "true"})
    assert "3.00" in archive.text


def test_objection_after_the_notice_ends_is_refused(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    number, _ = _on_notice(app_client, session, make_programme)
    data = publicity.ObjectionIn(name="王某", contact="wang@example.com", body="金额计算有误，请复核。")
    with pytest.raises(Conflict) as exc:
        publicity.lodge(session, number=number, data=data, today=local_today() + timedelta(days=30))
    assert exc.value.code_text == "grants.publicity_ended"


def test_public_calendar_needs_no_login(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    _window(session, make_programme(name="公开日历测试专项"))
    page = app_client.get("/public/grants/calendar")
    assert page.status_code == 200
    assert "公开日历测试专项" in page.text
    assert "申报中" in page.text
