"""Decision and payment notices as PDF: amounts in figures and 大写, the firm sees its own only."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy.orm import Session
from tests.factories import login
from tests.grants.conftest import MakeProgramme
from tests.grants.test_applications import _end_publicity, _firm, _ready, _window

from longcheng.core.actors import SYSTEM, Actor
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import apply, decide
from longcheng.grants.batches import service as batches
from longcheng.grants.payments import service as payments


def _decided(session: Session, make_programme: MakeProgramme) -> str:
    firm, _ = _firm(session, "gnotice")
    number = _ready(session, firm, _window(session, make_programme(budget_fen=100_000_00)))
    apply.submit(session, actor=firm, number=number, pledge=True)
    for stage in ("first_review", "second_review", "expert_review", "financial_review"):
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    decide.set_amount(session, actor=SYSTEM, number=number, approved_fen=42_000_00)
    for stage in ("proposed", "publicised", "decided"):
        if stage == "decided":
            _end_publicity(session, number)
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    return number


def _text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _pay(session: Session, finance: dict[str, Actor], number: str) -> None:
    batch = batches.create_batch(session, actor=finance["gfin1"])
    batches.approve(session, actor=finance["gfin1"], batch_id=batch.id)
    batches.approve(session, actor=finance["gfin2"], batch_id=batch.id)
    batches.export_xlsx(session, actor=finance["gfin1"], batch_id=batch.id)
    ref = payments.payable_status(session, actor=SYSTEM, source_kind="grants.application", source_ref=number)
    rows = [(2, {"付款参考号": ref[0].reference, "金额（元）": "42000.00", "结果": "成功"})]
    assert batches.apply_return(session, actor=finance["gfin1"], batch_id=batch.id, rows=rows).paid == 1


def test_the_firm_downloads_its_decision_and_payment_notices(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, finance: dict[str, Actor]
) -> None:
    """The decision notice names the amount in figures and capitals; the payment notice exists only
    once the bank confirmed the payment; another firm cannot download either."""
    number = _decided(session, make_programme)
    login(app_client, "gnotice")
    page = app_client.get(f"/grants/applications/{number}")
    assert "下载决定通知书" in page.text
    resp = app_client.get(f"/grants/applications/{number}/decision.pdf")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pdf"
    text = _text(resp.content)
    assert "42,000.00" in text
    assert "人民币肆万贰仟元整" in text
    not_yet = app_client.get(f"/grants/applications/{number}/payment.pdf")
    assert not_yet.status_code == 409
    assert "尚未支付" in not_yet.text
    _pay(session, finance, number)
    paid = app_client.get(f"/grants/applications/{number}/payment.pdf")
    assert paid.status_code == 200
    assert "人民币肆万贰仟元整" in _text(paid.content)
    _firm(session, "gnosy")
    login(app_client, "gnosy")
    assert app_client.get(f"/grants/applications/{number}/decision.pdf").status_code in (403, 404)
    assert app_client.get(f"/grants/applications/{number}/payment.pdf").status_code in (403, 404)
    login(app_client, "gfin1")
    assert app_client.get(f"/grants/applications/{number}/payment.pdf").status_code == 200


def test_no_decision_notice_before_a_decision(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    firm, _ = _firm(session, "gnodec")
    number = _ready(session, firm, _window(session, make_programme()))
    login(app_client, "gnodec")
    resp = app_client.get(f"/grants/applications/{number}/decision.pdf")
    assert resp.status_code == 409
    assert "尚未作出决定" in resp.text
