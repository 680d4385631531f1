"""Broker feedback through HTTP: dismissals lower similar pairs (bounded), "why" names past
collaboration and field/TRL fit, and the desk filters and exports its pairs."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import local_today
from longcheng.matching.ranker.feedback import Decision, Feedback

BASE = "/api/v1/matching"


def _challenge(title: str, summary: str) -> dict[str, Any]:
    return {
        "title": title,
        "field": "节能环保",
        "summary": summary,
        "trl_current": 4,
        "trl_target": 7,
        "budget": "50万元",
        "deadline": (local_today() + timedelta(days=9)).isoformat(),
    }


def _setup(client: TestClient, session: Session) -> dict[str, Any]:
    seeker_org, institute = make_org(session), make_org(session)
    officer = make_user(session, username="fofficer", role=Role.officer)
    seeker = make_user(session, username="fseeker", role=Role.enterprise, org_uscc=seeker_org.uscc)
    owner = make_user(session, username="fowner", role=Role.enterprise, org_uscc=institute.uscc)
    h = {"o": bearer(session, officer), "s": bearer(session, seeker), "k": bearer(session, owner)}
    session.commit()
    for title, keywords, trl in (
        ("冷凝吸附油气回收装置", "油气回收 储罐 VOC", 8),
        ("活性炭吸附VOC处理设备", "VOC 吸附", 5),
    ):
        body = {
            "title": title,
            "kind": "专利",
            "field": "节能环保",
            "trl": trl,
            "keywords": keywords,
            "org_uscc": institute.uscc,
            "org_name": "研究院",
        }
        assert client.post(f"{BASE}/capabilities", headers=h["k"], json=body).status_code == 201
    codes = []
    for title, summary in (("储罐VOC治理", "储罐挥发性有机物超标"), ("装车VOC回收", "装车过程油气挥发")):
        resp = client.post(f"{BASE}/challenges", headers=h["s"], json=_challenge(title, summary))
        codes.append(resp.json()["code"])
    return {"h": h, "codes": codes, "institute": institute.uscc}


def _scores(client: TestClient, headers: dict[str, str], code: str) -> dict[str, float]:
    return {
        m["code"]: m["score"] for m in client.get(f"{BASE}/challenges/{code}/matches", headers=headers).json()
    }


def test_dismissals_lower_similar_pairs_within_the_bound(app_client: TestClient, session: Session) -> None:
    """Dismissing the first challenge's pairs lowers the same institute's pairs for the second
    challenge (never by more than 40 %), and the second challenge's reasons say so."""
    ctx = _setup(app_client, session)
    h, (_first, second) = ctx["h"], ctx["codes"]
    before = _scores(app_client, h["o"], second)
    assert app_client.post(f"{BASE}/broker/suggest", headers=h["o"]).json()["count"] >= 2
    for pair in app_client.get(f"{BASE}/broker/pairs", headers=h["o"]).json():
        if pair["challenge"] == "储罐VOC治理":
            resp = app_client.post(
                f"{BASE}/broker/pairs/{pair['id']}/decision", headers=h["o"], json={"accept": False}
            )
            assert resp.json()["decision"] == "已忽略"
    after = _scores(app_client, h["o"], second)
    assert before.keys() == after.keys()
    for code, score in after.items():
        assert score < before[code]
        assert score >= before[code] * 0.6 - 1e-6
    why = app_client.get(f"{BASE}/challenges/{second}/matches", headers=h["o"]).json()[0]["why"]
    assert any(w.startswith("经纪反馈") and "下调" in w for w in why)
    assert any(w.startswith("领域相符") for w in why)
    assert any("技术成熟度" in w for w in why)


def test_acceptances_raise_and_the_feedback_is_bounded() -> None:
    """The pure feedback: accepts lift, dismisses lower, many clicks stay within ±40 %."""
    keys = ("field:节能环保>节能环保", "org:X@节能环保")
    many = Feedback([Decision(keys, False)] * 50)
    assert many.factor(keys) == 0.6
    assert Feedback([Decision(keys, True)] * 50).factor(keys) == 1.4
    one = Feedback([Decision(keys, False)])
    assert 0.6 < one.factor(keys) < 1.0
    assert one.factor(("field:新材料>新材料",)) == 1.0
    assert one.explain(("field:新材料>新材料",)) is None


def test_why_names_a_past_collaboration_from_proposals(app_client: TestClient, session: Session) -> None:
    """The institute proposed to one of the seeker's challenges: its capabilities for the other
    challenge say so."""
    ctx = _setup(app_client, session)
    h, (first, second) = ctx["h"], ctx["codes"]
    app_client.post(f"{BASE}/challenges/{first}/agreement", headers=h["k"], json={"version": 1})
    body = {"title": "冷凝吸附方案", "approach": "冷凝加活性炭吸附，回收率百分之九十五。"}
    assert (
        app_client.post(f"{BASE}/challenges/{first}/proposals", headers=h["k"], json=body).status_code == 201
    )
    why = app_client.get(f"{BASE}/challenges/{second}/matches", headers=h["s"]).json()[0]["why"]
    assert any(w.startswith("曾合作") and "储罐VOC治理" in w for w in why)


def test_the_desk_filters_and_exports_its_pairs(app_client: TestClient, session: Session) -> None:
    """The broker's page filters by decision and exports the same rows in stable columns."""
    ctx = _setup(app_client, session)
    h = ctx["h"]
    app_client.post(f"{BASE}/broker/suggest", headers=h["o"])
    pair = app_client.get(f"{BASE}/broker/pairs", headers=h["o"]).json()[0]
    app_client.post(f"{BASE}/broker/pairs/{pair['id']}/decision", headers=h["o"], json={"accept": True})
    login(app_client, "fofficer")
    page = app_client.get("/matching/broker?decision=accepted")
    assert page.status_code == 200
    assert "共 1 条" in page.text
    assert "通过消息中心引荐" in page.text
    resp = app_client.get("/matching/broker/export.xlsx?decision=accepted")
    sheet = load_workbook(BytesIO(resp.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("榜单编号", "榜单名称", "成果编号", "成果名称")
    assert len(rows) == 2
    assert rows[1][7] == "已采纳"
    login(app_client, "fseeker")
    assert app_client.get("/matching/broker").status_code == 403
