"""揭榜挂帅 through HTTP: publish, the public board, gated details, proposals and bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests.factories import bearer, csrf_from, login, make_org, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import local_today, utcnow
from longcheng.matching.challenges.models import Challenge

BASE = "/api/v1/matching/challenges"


def _challenge(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "石墨烯导热涂料团聚难题",
        "field": "新材料/石墨烯",
        "summary": "石墨烯加入涂料后团聚，漆膜导热不均。",
        "details": "配方：环氧树脂体系，石墨烯添加量3%，现用分散剂为BYK系列。",
        "trl_current": 4,
        "trl_target": 7,
        "budget": "200万元",
        "deadline": (local_today() + timedelta(days=30)).isoformat(),
        "ip_terms": "seeker",
        "anonymous": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def actors(session: Session) -> dict[str, dict[str, str]]:
    seeker_org = make_org(session, name="常州测试石墨烯科技有限公司")
    institute = make_org(session, name="常州测试先进材料研究院")
    seeker = make_user(
        session, username="mseeker", role=Role.enterprise, org_uscc=seeker_org.uscc, display_name="石墨烯公司"
    )
    solver = make_user(
        session, username="msolver", role=Role.enterprise, org_uscc=institute.uscc, display_name="材料研究院"
    )
    officer = make_user(session, username="mofficer", role=Role.officer, district="wujin")
    headers = {
        name: bearer(session, user)
        for name, user in (("seeker", seeker), ("solver", solver), ("officer", officer))
    }
    session.commit()
    return headers


def _publish(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    resp = client.post(BASE, headers=headers, json=_challenge(**overrides))
    assert resp.status_code == 201, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_published_challenge_is_on_the_public_board_with_the_seeker_hidden(
    app_client: TestClient, actors: dict[str, dict[str, str]]
) -> None:
    """Anyone sees the summary and 榜额 without logging in; an anonymous seeker stays hidden."""
    made = _publish(app_client, actors["seeker"])
    assert made["budget_fen"] == 200_0000_00
    board = app_client.get(BASE).json()
    assert board["total"] == 1
    assert board["items"][0]["seeker"] == "匿名发榜方"
    assert "details" not in board["items"][0]
    page = app_client.get("/matching/challenges")
    assert page.status_code == 200
    assert "石墨烯导热涂料团聚难题" in page.text
    assert "200.00" in page.text  # 万元, never fen
    assert "BYK" not in app_client.get(f"/matching/challenges/{made['code']}").text
    assert app_client.get(BASE, headers=actors["seeker"]).json()["items"][0]["seeker"] == "石墨烯公司"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"deadline": (local_today() - timedelta(days=1)).isoformat()}, "matching.deadline_in_past"),
        ({"trl_current": 6, "trl_target": 3}, "matching.trl_target_below_current"),
        ({"field": "占星术"}, "matching.invalid"),
        ({"budget": "很多钱"}, "matching.invalid"),
    ],
)
def test_bad_challenges_are_refused_and_nothing_is_written(
    app_client: TestClient, actors: dict[str, dict[str, str]], overrides: dict[str, Any], code: str
) -> None:
    """A past deadline, a TRL target below the current one, an unknown field or amount: 422, no row."""
    resp = app_client.post(BASE, headers=actors["seeker"], json=_challenge(**overrides))
    assert resp.status_code == 422
    assert resp.json()["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in resp.json()["message"])
    assert app_client.get(BASE).json()["total"] == 0


def test_details_open_only_after_the_logged_agreement(
    app_client: TestClient, actors: dict[str, dict[str, str]]
) -> None:
    """Details by API or URL are refused until the solver accepts; the seeker sees who accepted."""
    code = _publish(app_client, actors["seeker"])["code"]
    refused = app_client.get(f"{BASE}/{code}/details", headers=actors["solver"])
    assert refused.status_code == 403
    assert refused.json()["code"] == "matching.agreement_required"
    assert app_client.get(f"{BASE}/{code}/details").status_code == 403
    stale = app_client.post(f"{BASE}/{code}/agreement", headers=actors["solver"], json={"version": 2})
    assert stale.json()["code"] == "matching.agreement_version_stale"
    accepted = app_client.post(f"{BASE}/{code}/agreement", headers=actors["solver"], json={"version": 1})
    assert accepted.status_code == 201
    opened = app_client.get(f"{BASE}/{code}/details", headers=actors["solver"])
    assert opened.status_code == 200
    assert "BYK" in opened.json()["details"]
    log = app_client.get(f"{BASE}/{code}/agreement/log", headers=actors["seeker"]).json()
    assert [(row["user"], row["version"]) for row in log] == [("材料研究院（企业用户）", 1)]
    assert app_client.get(f"{BASE}/{code}/agreement/log", headers=actors["solver"]).status_code == 403


def test_details_page_by_url_needs_the_agreement_then_the_click_through_opens_it(
    app_client: TestClient, actors: dict[str, dict[str, str]]
) -> None:
    """Typing the details URL gives the 403 page; the button on the challenge page opens them."""
    code = _publish(app_client, actors["seeker"])["code"]
    login(app_client, "msolver")
    page = app_client.get(f"/matching/challenges/{code}/details")
    assert page.status_code == 403
    assert "揭榜协议" in page.text
    challenge_page = app_client.get(f"/matching/challenges/{code}")
    assert "我已阅读并接受揭榜协议" in challenge_page.text
    resp = app_client.post(
        f"/matching/challenges/{code}/agreement",
        data={"version": "1", "csrf_token": csrf_from(challenge_page.text)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert "BYK" in app_client.get(f"/matching/challenges/{code}/details").text


def test_proposals_need_the_agreement_and_stop_at_the_deadline(
    app_client: TestClient, session: Session, actors: dict[str, dict[str, str]]
) -> None:
    """Without agreement: 403; before the deadline: 201 once; after it: 409 and the board shows closed."""
    code = _publish(app_client, actors["officer"], anonymous=False, seeker_name="某石墨烯企业")["code"]
    proposal = {
        "title": "超声辅助表面改性分散方案",
        "approach": "硅烷偶联剂接枝，配合三辊研磨，分散稳定六个月。",
    }
    assert (
        app_client.post(f"{BASE}/{code}/proposals", headers=actors["solver"], json=proposal).status_code
        == 403
    )
    app_client.post(f"{BASE}/{code}/agreement", headers=actors["solver"], json={"version": 1})
    assert (
        app_client.post(f"{BASE}/{code}/proposals", headers=actors["solver"], json=proposal).status_code
        == 201
    )
    again = app_client.post(f"{BASE}/{code}/proposals", headers=actors["solver"], json=proposal)
    assert again.json()["code"] == "matching.proposal_duplicate"
    session.execute(
        update(Challenge).where(Challenge.code == code).values(deadline=utcnow() - timedelta(minutes=1))
    )
    session.commit()
    late = app_client.post(f"{BASE}/{code}/proposals", headers=actors["seeker"], json=proposal)
    assert late.status_code == 409
    assert late.json()["code"] == "matching.deadline_passed"
    assert app_client.get(f"{BASE}/{code}").json()["status_label"] == "已截止"
    assert [
        p["title"] for p in app_client.get(f"{BASE}/{code}/proposals", headers=actors["officer"]).json()
    ] == [proposal["title"]]
