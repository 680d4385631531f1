"""The broker's desk through HTTP: suggestions, accept/dismiss, introductions, outcomes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import local_today

BASE = "/api/v1/matching"


def test_broker_suggests_introduces_and_tracks_up_to_a_contract(
    app_client: TestClient, session: Session
) -> None:
    """The VOC challenge is paired with the oil-vapour patent; an accepted pair is introduced to
    both firms' users; the outcome moves forward only, a contract needs its amount."""
    seeker_org, institute = make_org(session), make_org(session)
    officer = make_user(session, username="bofficer", role=Role.officer)
    seeker = make_user(session, username="bseeker", role=Role.enterprise, org_uscc=seeker_org.uscc)
    owner = make_user(session, username="bowner", role=Role.enterprise, org_uscc=institute.uscc)
    h: dict[str, Any] = {n: bearer(session, u) for n, u in (("o", officer), ("s", seeker), ("k", owner))}
    session.commit()
    for title, keywords in (("冷凝吸附油气回收装置", "油气回收 储罐"), ("锂电池低温电解液", "电解液")):
        body = {
            "title": title,
            "kind": "专利",
            "keywords": keywords,
            "org_uscc": institute.uscc,
            "org_name": "研究院",
        }
        assert app_client.post(f"{BASE}/capabilities", headers=h["k"], json=body).status_code == 201
    challenge = {
        "title": "储罐VOC治理",
        "field": "节能环保",
        "summary": "储罐挥发性有机物超标",
        "trl_current": 4,
        "trl_target": 7,
        "budget": "50万元",
        "deadline": (local_today() + timedelta(days=9)).isoformat(),
    }
    assert app_client.post(f"{BASE}/challenges", headers=h["s"], json=challenge).status_code == 201

    first = app_client.post(f"{BASE}/broker/suggest", headers=h["o"])
    assert first.status_code == 200, first.text
    assert first.json()["count"] >= 1
    assert app_client.post(f"{BASE}/broker/suggest", headers=h["o"]).json()["count"] == 0
    pairs = app_client.get(f"{BASE}/broker/pairs", headers=h["o"]).json()
    top = pairs[0]
    assert top["capability"] == "冷凝吸附油气回收装置"
    assert app_client.post(f"{BASE}/broker/pairs/{top['id']}/introduction", headers=h["o"]).json()[
        "code"
    ] == ("matching.pair_not_accepted")
    assert (
        app_client.post(
            f"{BASE}/broker/pairs/{top['id']}/decision", headers=h["o"], json={"accept": True}
        ).json()["decision"]
        == "已采纳"
    )
    assert app_client.post(f"{BASE}/broker/pairs/{top['id']}/introduction", headers=h["o"]).json() == {
        "count": 2
    }
    inbox = app_client.get("/api/v1/notifications", headers=h["s"]).json()["items"]
    assert any("成果推荐" in m["title"] for m in inbox)
    outcome = f"{BASE}/broker/pairs/{top['id']}/outcome"
    assert app_client.post(outcome, headers=h["o"], json={"outcome": "contract"}).json()["code"] == (
        "matching.contract_amount_required"
    )
    assert (
        app_client.post(outcome, headers=h["o"], json={"outcome": "meeting"}).json()["outcome"]
        == "已对接洽谈"
    )
    done = app_client.post(
        outcome, headers=h["o"], json={"outcome": "contract", "contract_amount": "80万元"}
    ).json()
    assert done["contract_fen"] == 80_000_000
    back = app_client.post(outcome, headers=h["o"], json={"outcome": "agreement"})
    assert back.json()["code"] == "matching.pair_outcome_order"
    assert app_client.get(f"{BASE}/broker/pairs", headers=h["s"]).status_code == 403
    assert "冷凝吸附油气回收装置" in app_client.get("/matching/broker", headers=h["o"]).text
