"""Payment batches over HTTP: two different approvers, the bank file, the bank's return file."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, login
from tests.grants.conftest import ACCOUNT, MakeProgramme, token

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Actor
from longcheng.grants.payments import service as payments


def _headers(session: Session, username: str) -> dict[str, str]:
    user = users.get_by_username(session, username)
    assert user is not None
    return bearer(session, user)


def _return_file(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["付款参考号", "金额（元）", "结果", "说明"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _payable(session: Session, code: str, key: str, amount_fen: int) -> str:
    payments.add_direct_payable(
        session,
        actor=SYSTEM,
        programme_code=code,
        fiscal_year=2026,
        payee_name="常州某科技有限公司",
        payee_account_token=token(),
        payee_bank="工商银行常州分行",
        amount_fen=amount_fen,
        source_kind="grants.test",
        source_ref=key,
        idempotency_key=key,
    )
    status = payments.payable_status(session, actor=SYSTEM, source_kind="grants.test", source_ref=key)
    return status[0].reference


def test_batch_approvals_export_and_return(
    app_client: TestClient, session: Session, finance: dict[str, Actor], make_programme: MakeProgramme
) -> None:
    p = make_programme(budget_fen=10_000_00)
    ref_a = _payable(session, p.code, "K-A", 1_234_56)
    ref_b = _payable(session, p.code, "K-B", 100_00)
    fin1, fin2 = _headers(session, "gfin1"), _headers(session, "gfin2")
    batch = app_client.post("/api/v1/grants/batches", json={}, headers=fin1).json()
    assert batch["count"] == 2
    bid = batch["id"]
    early = app_client.get(f"/api/v1/grants/batches/{bid}/bank.xlsx", headers=fin1)
    assert early.status_code == 409
    assert early.json()["code"] == "grants.batch_not_approved"
    assert app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin1).status_code == 200
    twice = app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin1)
    assert twice.status_code == 409
    assert twice.json()["code"] == "grants.same_approver"
    assert (
        app_client.post(f"/api/v1/grants/batches/{bid}/approve", headers=fin2).json()["state"] == "approved"
    )
    bank = app_client.get(f"/api/v1/grants/batches/{bid}/bank.xlsx", headers=fin1)
    ws = load_workbook(io.BytesIO(bank.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][3] == ACCOUNT
    assert rows[1][5] == "1234.56"
    assert rows[1][6] == "人民币壹仟贰佰叁拾肆元伍角陆分"
    bad = _return_file(
        [[ref_a, "1234.56", "成功", ""], [ref_b, "99.00", "成功", ""], ["GPUNKNOWN", "1.00", "成功", ""]]
    )
    report = app_client.post(
        f"/api/v1/grants/batches/{bid}/return", files={"file": ("r.xlsx", bad)}, headers=fin1
    ).json()
    assert report["paid"] == 1
    assert [u["reference"] for u in report["unmatched"]] == [ref_b, "GPUNKNOWN"]
    assert "金额不符" in report["unmatched"][0]["message"]
    again = app_client.post(
        f"/api/v1/grants/batches/{bid}/return", files={"file": ("r.xlsx", bad)}, headers=fin1
    ).json()
    assert again["paid"] == 0
    assert again["ignored"] == 1
    status = payments.payable_status(session, actor=SYSTEM, source_kind="grants.test", source_ref="K-A")
    assert status[0].state == "paid"
    masked = app_client.get("/api/v1/grants/payables", params={"q": "K-A"}, headers=fin1).json()["items"][0]
    assert masked["payee_account_masked"] != ACCOUNT
    assert masked["payee_account_masked"].endswith("7089")


def test_finance_pages_and_enterprise_refused(
    app_client: TestClient, session: Session, finance: dict[str, Actor], make_programme: MakeProgramme
) -> None:
    p = make_programme()
    _payable(session, p.code, "K-P", 5_00)
    login(app_client, "gfin1")
    page = app_client.get("/grants/finance", params={"q": "K-P"})
    assert page.status_code == 200
    assert "常州某科技有限公司" in page.text
    assert "6222020304050607089" not in page.text
    assert app_client.get("/grants/finance/payables.xlsx").status_code == 200
    assert app_client.get(f"/grants/programmes/{p.code}").status_code == 200
    client2 = app_client
    login(client2, "gfirm")
    assert client2.get("/grants/finance").status_code == 403
