"""先建后补 验收: a decided after-acceptance award stays committed until the inspection passes;
evidence is checked like application materials; rectify sets a working-day deadline."""

from __future__ import annotations

import io
from datetime import timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.grants.conftest import MakeProgramme
from tests.grants.test_applications import CLOSES, _end_publicity, _firm, _ready, _window

from longcheng.core.actors import SYSTEM, Role
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import apply, decide
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _decided(session: Session, make_programme: MakeProgramme) -> tuple[str, int, dict[str, str]]:
    programme = make_programme(budget_fen=100_000_00, payment_mode="after_acceptance")
    firm, headers = _firm(session, "gaccept")
    number = _ready(session, firm, _window(session, programme))
    apply.submit(session, actor=firm, number=number, pledge=True, now=CLOSES - timedelta(days=1))
    for stage in ("first_review", "second_review", "expert_review", "financial_review"):
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    decide.set_amount(session, actor=SYSTEM, number=number, approved_fen=30_000_00)
    for stage in ("proposed", "publicised", "decided"):
        if stage == "decided":
            _end_publicity(session, number)
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    session.commit()
    return number, programme.id, headers


def _upload(
    client: TestClient, number: str, headers: dict[str, str], item: str, name: str, data: bytes
) -> int:
    resp = client.post(
        f"/api/v1/grants/applications/{number}/acceptance/files",
        data={"item": item},
        files={"file": (name, data)},
        headers=headers,
    )
    return resp.status_code


def test_only_a_passed_inspection_makes_the_award_payable(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    number, programme_id, firm = _decided(session, make_programme)
    officer = bearer(session, make_user(session, username="gaccept_off", role=Role.officer))
    base = f"/api/v1/grants/applications/{number}/acceptance"
    task = app_client.get(base, headers=firm).json()
    assert (task["state"], task["missing"]) == ("open", ["invoices", "audit_report", "photos"])

    refused = app_client.post(f"{base}/release", headers=officer)
    assert (refused.status_code, refused.json()["code"]) == (409, "grants.acceptance_not_passed")
    early = app_client.post(f"{base}/submit", headers=firm).json()
    assert early["code"] == "grants.evidence_missing"
    assert "专项审计报告" in early["message"]
    assert _upload(app_client, number, firm, "invoices", "发票.pdf", b"MZ\x90\x00" + b"\x00" * 64) == 422
    for item, name, data in (
        ("invoices", "发票.pdf", PDF),
        ("audit_report", "审计.pdf", PDF),
        ("photos", "现场.png", PNG),
    ):
        assert _upload(app_client, number, firm, item, name, data) == 201
    assert app_client.post(f"{base}/submit", headers=firm).json()["state"] == "submitted"

    by_firm = app_client.post(f"{base}/inspections", json={}, headers=firm)
    assert by_firm.status_code in (403, 422)
    inspection = {
        "inspected_on": "2026-12-01",
        "members": ["张工", "李工"],
        "findings": "围栏未完工",
        "result": "rectify",
    }
    no_days = app_client.post(f"{base}/inspections", json=inspection, headers=officer)
    assert no_days.json()["code"] == "grants.invalid"
    rectify = app_client.post(
        f"{base}/inspections", json=inspection | {"rectify_working_days": 5}, headers=officer
    )
    assert rectify.json()["state"] == "rectify"
    assert rectify.json()["rectify_due"]
    assert (
        app_client.post(f"{base}/release", headers=officer).json()["code"] == "grants.acceptance_not_passed"
    )
    b = ledger.balances(session, actor=SYSTEM, programme_id=programme_id, fiscal_year=2026)
    assert (b.committed_fen, b.payable_fen) == (30_000_00, 0)

    assert _upload(app_client, number, firm, "photos", "整改后.png", PNG) == 201
    assert app_client.post(f"{base}/submit", headers=firm).json()["state"] == "submitted"
    passed = app_client.post(
        f"{base}/inspections", json=inspection | {"result": "pass", "findings": ""}, headers=officer
    ).json()
    assert passed["state"] == "passed"
    assert len(passed["inspections"]) == 2
    session.expire_all()
    b = ledger.balances(session, actor=SYSTEM, programme_id=programme_id, fiscal_year=2026)
    assert (b.committed_fen, b.payable_fen) == (0, 30_000_00)
    status = payments.payable_status(
        session, actor=SYSTEM, source_kind="grants.application", source_ref=number
    )
    assert [s.state for s in status] == ["payable"]
    again = app_client.post(f"{base}/release", headers=officer).json()
    assert again["payable_id"] == status[0].id


def test_pages_list_the_tasks_and_take_the_inspection(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    """The firm uploads and submits on the task page; the officer finds it in the list (search,
    filter, XLSX) and records a pass through the form."""
    number, _, firm = _decided(session, make_programme)
    for item, name, data in (
        ("invoices", "发票.pdf", PDF),
        ("audit_report", "审计.pdf", PDF),
        ("photos", "现场.png", PNG),
    ):
        assert _upload(app_client, number, firm, item, name, data) == 201
    token = login(app_client, "gaccept")
    page = app_client.get(f"/grants/acceptance/{number}")
    assert "已上传 审计.pdf" in page.text
    assert "记录验收结果" not in page.text
    app_client.post(f"/grants/acceptance/{number}/submit", data={"csrf_token": token})
    make_user(session, username="gaccept_o2", role=Role.officer)
    session.commit()
    token = login(app_client, "gaccept_o2")
    listed = app_client.get("/grants/acceptance", params={"q": number, "state": "submitted"})
    assert number in listed.text
    assert "待现场验收" in listed.text
    passed = app_client.get("/grants/acceptance", params={"q": number, "state": "passed"})
    assert f"/grants/acceptance/{number}" not in passed.text
    sheet = load_workbook(io.BytesIO(app_client.get("/grants/acceptance.xlsx").content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:2] == ["申报编号", "申报单位"]
    form = {"csrf_token": token, "inspected_on": "2026-12-02", "members": "张工、李工", "result": "pass"}
    done = app_client.post(f"/grants/acceptance/{number}/inspections", data=form)
    assert "验收通过" in done.text
    assert "张工、李工" in done.text
