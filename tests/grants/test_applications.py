"""Applications end to end: 一键申报, the window's last second, one per year, the stage machine,
financial review limits and 下达 committing the budget and making it payable."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user
from tests.grants.conftest import MakeProgramme

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.clock import SHANGHAI, utcnow
from longcheng.core.errors import Conflict
from longcheng.experts import service as experts_service
from longcheng.experts.schemas import DeclareIn, ExpertIn, ScoreIn
from longcheng.grants.applications.schemas import DraftIn
from longcheng.grants.applications.service import apply
from longcheng.grants.applications.service.base import get
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.models import Programme, Window
from longcheng.grants.programmes.schemas import WindowIn

CLOSES = datetime(2026, 12, 31, 17, 0, 0, tzinfo=SHANGHAI)
FIELDS = [{"code": "project", "label": "项目名称"}, {"code": "jobs", "label": "新增就业", "type": "number"}]


def _window(session: Session, programme: Programme, closes: datetime = CLOSES) -> Window:
    data = WindowIn.model_validate(
        {
            "code": "W1",
            "name": "2026年第一批",
            "fiscal_year": 2026,
            "opens_at": "2026-01-01 09:00:00",
            "closes_at": closes,
            "form_fields": FIELDS,
            "sla": {"submitted": 3, "first_review": 5},
        }
    )
    return programmes.add_window(session, actor=SYSTEM, programme_code=programme.code, data=data)


def _firm(session: Session, name: str = "gent") -> tuple[Actor, dict[str, str]]:
    org = make_org(session)
    user = make_user(session, username=name, role=Role.enterprise, org_uscc=org.uscc)
    return user.to_actor(), bearer(session, user)


def _ready(session: Session, actor: Actor, window: Window) -> str:
    app = apply.start(session, actor=actor, window_id=window.id, now=CLOSES - timedelta(days=1))
    draft = DraftIn(
        requested_fen=50_000_00,
        form={"project": "智能产线改造", "jobs": "12"},
        bank_account="6222 0203 0405 0607",
        bank_name="常州银行",
    )
    apply.save(session, actor=actor, number=app.number, data=draft)
    return app.number


def test_window_closes_at_its_last_second(session: Session, make_programme: MakeProgramme) -> None:
    """Submitting at the closing second is accepted; one second later it is refused."""
    window = _window(session, make_programme())
    firm_a, _ = _firm(session, "gent_a")
    firm_b, _ = _firm(session, "gent_b")
    on_time, late = _ready(session, firm_a, window), _ready(session, firm_b, window)
    receipt = apply.submit(session, actor=firm_a, number=on_time, pledge=True, now=CLOSES)
    assert receipt == f"{on_time}-1"
    with pytest.raises(apply.WindowClosed) as exc:
        apply.submit(session, actor=firm_b, number=late, pledge=True, now=CLOSES + timedelta(seconds=1))
    assert exc.value.code_text == "grants.window_closed"
    assert "2026-12-31 17:00:00" in exc.value.message_text


def test_one_application_per_programme_and_year(session: Session, make_programme: MakeProgramme) -> None:
    window = _window(session, make_programme())
    firm, _ = _firm(session)
    apply.start(session, actor=firm, window_id=window.id, now=CLOSES - timedelta(days=1))
    with pytest.raises(Conflict) as exc:
        apply.start(session, actor=firm, window_id=window.id, now=CLOSES - timedelta(days=1))
    assert exc.value.code_text == "grants.duplicate_application"


def test_incomplete_submission_names_each_problem(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    window = _window(session, make_programme())
    firm, headers = _firm(session)
    number = apply.start(session, actor=firm, window_id=window.id).number
    resp = app_client.post(
        f"/api/v1/grants/applications/{number}/submit", json={"pledge": False}, headers=headers
    )
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "grants.incomplete"
    assert set(body["details"]) == {"project", "jobs", "requested_fen", "bank_account", "pledge"}


def _end_publicity(session: Session, number: str) -> None:
    """Move the start of the application's 公示 back a month, so its period is over."""
    app = get(session, actor=SYSTEM, number=number)
    app.stage_entered_at = utcnow() - timedelta(days=30)
    session.flush()


def _walk(client: TestClient, number: str, headers: dict[str, str], stages: list[str]) -> None:
    for stage in stages:
        resp = client.post(
            f"/api/v1/grants/applications/{number}/move",
            json={"to_stage": stage, "reason": "同意"},
            headers=headers,
        )
        assert resp.status_code == 200, resp.text


def test_from_submission_to_decision_and_payment(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, finance: dict[str, Actor]
) -> None:
    """Return for correction, resubmit (two versions kept), reviews, financial limits, then 下达:
    the budget is committed and the amount payable; the firm sees the money's status."""
    programme = make_programme(budget_fen=100_000_00)
    window = _window(session, programme)
    firm, firm_headers = _firm(session)
    number = _ready(session, firm, window)
    officer = bearer(session, make_user(session, username="gofficer", role=Role.officer))
    assert (
        app_client.post(
            f"/api/v1/grants/applications/{number}/submit", json={"pledge": True}, headers=firm_headers
        ).json()["receipt"]
        == f"{number}-1"
    )
    no_reason = app_client.post(
        f"/api/v1/grants/applications/{number}/move", json={"to_stage": "returned"}, headers=officer
    )
    assert no_reason.json()["code"] == "grants.reason_required"
    app_client.post(
        f"/api/v1/grants/applications/{number}/move",
        json={"to_stage": "returned", "reason": "缺少项目预算表"},
        headers=officer,
    )
    resubmit = app_client.post(
        f"/api/v1/grants/applications/{number}/submit", json={"pledge": True}, headers=firm_headers
    )
    assert resubmit.json()["receipt"] == f"{number}-2"
    _walk(app_client, number, officer, ["first_review", "second_review", "expert_review", "financial_review"])
    over = app_client.put(
        f"/api/v1/grants/applications/{number}/amount", json={"approved_fen": 60_000_00}, headers=officer
    )
    assert over.json()["code"] == "grants.approved_over_requested"
    ok = app_client.put(
        f"/api/v1/grants/applications/{number}/amount", json={"approved_fen": 42_000_00}, headers=officer
    )
    assert ok.json()["approved_fen"] == 42_000_00
    _walk(app_client, number, officer, ["proposed", "publicised"])
    early = app_client.post(
        f"/api/v1/grants/applications/{number}/move", json={"to_stage": "decided"}, headers=officer
    )
    assert early.json()["code"] == "grants.publicity_not_ended"
    _end_publicity(session, number)
    _walk(app_client, number, officer, ["decided"])
    b = ledger.balances(session, actor=SYSTEM, programme_id=programme.id, fiscal_year=2026)
    assert (b.available_fen, b.payable_fen) == (58_000_00, 42_000_00)
    status = payments.payable_status(
        session, actor=SYSTEM, source_kind="grants.application", source_ref=number
    )
    assert [s.state for s in status] == ["payable"]
    login(app_client, "gent")
    page = app_client.get(f"/grants/applications/{number}")
    assert "下达" in page.text
    assert "待支付" in page.text
    assert "42,000.00" in page.text
    queue = app_client.get("/api/v1/grants/applications", headers=officer).json()
    assert queue["items"][0]["number"] == number


def test_expert_review_through_the_pool(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    """Experts are drawn for applications in 专家评审 (the applicant's employee excluded); their
    scores come back anonymised with the aggregate."""
    window = _window(session, make_programme())
    firm, _ = _firm(session)
    number = _ready(session, firm, window)
    apply.submit(session, actor=firm, number=number, pledge=True)
    officer = bearer(session, make_user(session, username="grev", role=Role.officer))
    _walk(app_client, number, officer, ["first_review", "second_review", "expert_review"])
    reviewer = make_user(session, username="gexpert", role=Role.reviewer)
    insider = ExpertIn.model_validate({"name": "内部人", "fields": ["ai"], "employer_uscc": firm.org_uscc})
    experts_service.create(session, actor=SYSTEM, data=insider)
    mine = ExpertIn.model_validate({"name": "外部专家", "fields": ["ai"], "username": "gexpert"})
    experts_service.create(session, actor=SYSTEM, data=mine)
    draw = app_client.post(
        f"/api/v1/grants/windows/{window.id}/experts",
        json={"field": "ai", "per_item": 2, "seed": 1},
        headers=officer,
    ).json()
    assert draw["assigned"] == 1
    assert draw["short"] == {number: 1}
    ctx = f"grants:window:{window.id}"
    actor = reviewer.to_actor()
    login(app_client, "gexpert")
    assert app_client.get(f"/grants/review/{number}").status_code == 403
    experts_service.declare(session, actor=actor, context=ctx, ref=number, data=DeclareIn(has_conflict=False))
    assert "智能产线改造" in app_client.get(f"/grants/review/{number}").text
    scores = {"innovation": 25, "feasibility": 20, "benefit": 20, "team": 15}
    experts_service.score(session, actor=actor, context=ctx, ref=number, data=ScoreIn(scores=scores))
    review = app_client.get(f"/api/v1/grants/applications/{number}/review", headers=officer).json()
    assert review["scores"][0]["reviewer"] == "专家1"
    assert review["mean"] == "80.00"
