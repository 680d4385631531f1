"""Expert review of proposals through HTTP: COI, scoring, selection, feedback to the others."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.experts import service as experts_service
from longcheng.experts.schemas import DeclareIn, ExpertIn
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn

BASE = "/api/v1/matching/challenges"
SCORES = {"innovation": 20, "feasibility": 15, "benefit": 10, "team": 5}


def _setup(session: Session) -> dict[str, Any]:
    seeker_org, institute, firm, elsewhere = (make_org(session) for _ in range(4))
    users = {
        "seeker": make_user(session, username="rseeker", role=Role.enterprise, org_uscc=seeker_org.uscc),
        "institute": make_user(
            session, username="rinst", role=Role.enterprise, org_uscc=institute.uscc, display_name="某研究院"
        ),
        "firm": make_user(session, username="rfirm", role=Role.enterprise, org_uscc=firm.uscc),
        "officer": make_user(session, username="rofficer", role=Role.officer),
    }
    experts = {}
    for name, employer in (("rev1", institute.uscc), ("rev2", elsewhere.uscc), ("rev3", elsewhere.uscc)):
        users[name] = make_user(session, username=name, role=Role.reviewer)
        data = ExpertIn(name=f"专家{name}", employer_uscc=employer, fields=["materials"], username=name)
        experts[name] = experts_service.create(session, actor=SYSTEM, data=data)
    headers = {name: bearer(session, user) for name, user in users.items()}
    session.commit()
    return {"headers": headers, "experts": experts, "institute": institute.uscc}


def _propose(client: TestClient, headers: dict[str, str], code: str, title: str) -> int:
    client.post(f"{BASE}/{code}/agreement", headers=headers, json={"version": 1})
    resp = client.post(
        f"{BASE}/{code}/proposals",
        headers=headers,
        json={"title": title, "approach": "分散剂加高剪切处理，三个月稳定不沉降。"},
    )
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def test_review_excludes_the_solvers_own_experts_and_losers_get_scores_per_criterion(
    app_client: TestClient, session: Session
) -> None:
    """The institute's expert is never drawn and cannot score; the firm is selected; the institute
    gets the mean of each criterion, the total and the seeker's comment, and a message."""
    ctx = _setup(session)
    h = ctx["headers"]
    body = {
        "title": "石墨烯团聚",
        "field": "新材料",
        "summary": "石墨烯在涂料中团聚。",
        "trl_current": 3,
        "trl_target": 6,
        "budget": "80万元",
        "deadline": (local_today() + timedelta(days=20)).isoformat(),
    }
    code = app_client.post(BASE, headers=h["seeker"], json=body).json()["code"]
    inst = _propose(app_client, h["institute"], code, "研究院方案")
    firm = _propose(app_client, h["firm"], code, "企业方案")
    drawn = app_client.post(
        f"{BASE}/{code}/experts", headers=h["officer"], json={"per_item": 2, "seed": 1}
    ).json()
    assert drawn["excluded"][f"proposal-{inst}"] == 1
    assert "专家rev1" not in drawn["assigned"][f"proposal-{inst}"]

    own = app_client.post(
        f"{BASE}/{code}/proposals/{inst}/scores", headers=h["rev1"], json={"scores": SCORES}
    )
    assert own.status_code == 403
    assert own.json()["code"] == "matching.not_assigned"
    for reviewer in ("rev2", "rev3"):
        actor = make_user_actor(session, reviewer)
        for pid in (inst,):
            experts_service.declare(
                session,
                actor=actor,
                context=f"matching:{code}",
                ref=f"proposal-{pid}",
                data=DeclareIn(has_conflict=False),
            )
    session.commit()
    assert (
        app_client.post(
            f"{BASE}/{code}/proposals/{inst}/scores", headers=h["rev2"], json={"scores": SCORES}
        ).json()["total"]
        == 50
    )
    low = SCORES | {"innovation": 10}
    assert (
        app_client.post(
            f"{BASE}/{code}/proposals/{inst}/scores", headers=h["rev3"], json={"scores": low}
        ).status_code
        == 201
    )

    early = app_client.post(f"{BASE}/{code}/selection", headers=h["seeker"], json={"proposal_id": firm})
    assert early.status_code == 409
    assert early.json()["code"] == "matching.proposal_state"
    listed = app_client.post(f"{BASE}/{code}/shortlist", headers=h["seeker"], json={"proposal_ids": [firm]})
    assert listed.json() == {"shortlisted": [firm]}
    chosen = app_client.post(
        f"{BASE}/{code}/selection",
        headers=h["seeker"],
        json={"proposal_id": firm, "comments": {str(inst): "方案中试数据不足。"}},
    )
    assert chosen.json() == {"selected": firm, "feedback_sent": 1}
    feedback = app_client.get(f"{BASE}/{code}/proposals/{inst}/feedback", headers=h["institute"]).json()
    assert feedback["criteria"]["技术创新性"] == "15.0"
    assert feedback["total"] == "45.0"
    assert feedback["reviewers"] == 2
    assert feedback["comment"] == "方案中试数据不足。"
    assert app_client.get(f"{BASE}/{code}/proposals/{inst}/feedback", headers=h["firm"]).status_code == 403
    messages = app_client.get("/api/v1/notifications", headers=h["institute"]).json()
    assert any("揭榜结果反馈" in m["title"] for m in messages["items"])
    assert app_client.get(f"{BASE}/{code}").json()["status_label"] == "已揭榜"

    over: dict[str, Any] = {
        "milestones": [
            {"title": "小试", "due_on": "2027-06-30", "amount": "60万元"},
            {"title": "中试", "due_on": "2027-12-31", "amount": "30万元"},
        ]
    }
    refused = app_client.post(f"{BASE}/{code}/contract", headers=h["seeker"], json=over)
    assert refused.json()["code"] == "matching.contract_over_budget"
    over["milestones"][1]["amount"] = "20万元"
    programmes.create(
        session, actor=SYSTEM, data=ProgrammeIn(code="JBGS", name="揭榜挂帅专项", department="科技局")
    )
    ledger.set_budget(
        session, actor=SYSTEM, programme_code="JBGS", fiscal_year=local_today().year, amount_fen=70_000_000
    )
    session.commit()
    over |= {
        "grants_programme": "JBGS",
        "payee_bank": "江苏银行常州分行",
        "payee_account": "6222 0000 1111 2222",
    }
    made = app_client.post(f"{BASE}/{code}/contract", headers=h["seeker"], json=over)
    assert made.json()["amount_fen"] == 80_000_000, made.text
    assert app_client.post(f"{BASE}/{code}/contract", headers=h["seeker"], json=over).json()["code"] == (
        "matching.contract_exists"
    )
    accepted = app_client.post(f"{BASE}/{code}/contract/milestones/1/acceptance", headers=h["seeker"]).json()
    assert accepted["milestones"][0]["state"] == "已验收（待拨付）"
    assert accepted["milestones"][0]["payment"] == "待支付"
    beyond = app_client.post(f"{BASE}/{code}/contract/milestones/2/acceptance", headers=h["seeker"])
    assert beyond.json()["code"] == "grants.budget_exceeded"
    assert (
        app_client.get(f"{BASE}/{code}/contract", headers=h["seeker"]).json()["milestones"][1]["state"]
        == "进行中"
    )
    assert app_client.get(f"{BASE}/{code}/contract", headers=h["firm"]).status_code == 200
    assert app_client.get(f"{BASE}/{code}/contract", headers=h["institute"]).status_code == 403


def test_an_expert_who_joined_the_solvers_institute_is_refused(
    app_client: TestClient, session: Session
) -> None:
    """An assigned expert whose employer became the solver's institute cannot score its proposal."""
    ctx = _setup(session)
    h = ctx["headers"]
    body = {
        "title": "锂电低温衰减",
        "field": "新能源",
        "summary": "低温容量衰减。",
        "trl_current": 3,
        "trl_target": 6,
        "budget": "50万元",
        "deadline": (local_today() + timedelta(days=20)).isoformat(),
    }
    code = app_client.post(BASE, headers=h["seeker"], json=body).json()["code"]
    inst = _propose(app_client, h["institute"], code, "研究院方案")
    app_client.post(f"{BASE}/{code}/experts", headers=h["officer"], json={"per_item": 2, "seed": 3})
    moved = ctx["experts"]["rev2"]
    data = ExpertIn(name=moved.name, employer_uscc=ctx["institute"], fields=["materials"], username="rev2")
    experts_service.update(session, actor=SYSTEM, expert_id=moved.id, data=data)
    session.commit()
    refused = app_client.post(
        f"{BASE}/{code}/proposals/{inst}/scores", headers=h["rev2"], json={"scores": SCORES}
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "matching.expert_conflict"


def make_user_actor(session: Session, username: str) -> Any:
    from longcheng.core import users

    user = users.get_by_username(session, username)
    assert user is not None
    return user.to_actor()
