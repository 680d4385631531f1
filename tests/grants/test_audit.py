"""Audit sampling: a seeded draw over a programme-year's paid awards is recorded and redraws the
same; a finding with an amount claws it back in the ledger, never more than was paid."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user, new_uscc
from tests.grants.conftest import MakeProgramme, token

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.grants.batches import service as batches
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.models import Payable


def _paid(session: Session, code: str, finance: dict[str, Actor], n: int) -> None:
    ids = [
        payments.add_direct_payable(
            session,
            actor=SYSTEM,
            programme_code=code,
            fiscal_year=2026,
            payee_name=f"企业{i}",
            payee_account_token=token(),
            payee_bank="常州银行",
            amount_fen=10_000_00,
            source_kind="grants.application",
            source_ref=f"SB2026{i:06d}",
            idempotency_key=f"audit-{code}-{i}",
        )
        for i in range(n)
    ]
    batch = batches.create_batch(session, actor=finance["gfin1"], payable_ids=ids)
    batches.approve(session, actor=finance["gfin1"], batch_id=batch.id)
    batches.approve(session, actor=finance["gfin2"], batch_id=batch.id)
    batches.export_xlsx(session, actor=finance["gfin1"], batch_id=batch.id)
    refs = [session.get(Payable, i).reference for i in ids]  # type: ignore[union-attr]
    rows = [(k + 2, {"付款参考号": r, "金额（元）": "10000.00", "结果": "成功"}) for k, r in enumerate(refs)]
    batches.apply_return(session, actor=finance["gfin1"], batch_id=batch.id, rows=rows)
    session.commit()


def test_seeded_sample_finding_and_clawback(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, finance: dict[str, Actor]
) -> None:
    programme = make_programme(budget_fen=200_000_00)
    auditor = bearer(session, make_user(session, username="gaud", role=Role.auditor))
    firm = bearer(
        session, make_user(session, username="gaud_firm", role=Role.enterprise, org_uscc=new_uscc())
    )
    api = "/api/v1/grants/audit"
    body = {"programme": programme.code, "fiscal_year": 2026, "size": 3, "seed": 42}
    assert (
        app_client.post(f"{api}/samples", json=body, headers=auditor).json()["code"]
        == "grants.audit_nothing_paid"
    )
    _paid(session, programme.code, finance, 8)
    assert app_client.post(f"{api}/samples", json=body, headers=firm).status_code == 403
    first = app_client.post(f"{api}/samples", json=body, headers=auditor).json()
    again = app_client.post(f"{api}/samples", json=body, headers=auditor).json()
    assert (first["population"], first["size"], first["seed"]) == (8, 3, 42)
    assert [i["source_ref"] for i in first["items"]] == [i["source_ref"] for i in again["items"]]
    item = first["items"][0]
    over = {"result": "issue", "finding": "发票重复报销", "clawback_fen": 10_000_01}
    assert app_client.post(f"{api}/items/{item['id']}/finding", json=over, headers=auditor).json()[
        "code"
    ] == ("grants.clawback_over_paid")
    no_words = app_client.post(f"{api}/items/{item['id']}/finding", json={"result": "issue"}, headers=auditor)
    assert no_words.json()["code"] == "grants.invalid"
    done = app_client.post(
        f"{api}/items/{item['id']}/finding", json=over | {"clawback_fen": 4_000_00}, headers=auditor
    )
    assert done.json()["result_label"] == "发现问题"
    twice = app_client.post(f"{api}/items/{item['id']}/finding", json={"result": "ok"}, headers=auditor)
    assert twice.json()["code"] == "grants.audit_already_recorded"
    session.expire_all()
    b = ledger.balances(session, actor=SYSTEM, programme_id=programme.id, fiscal_year=2026)
    assert (b.paid_fen, b.clawed_back_fen) == (76_000_00, 4_000_00)
    assert ledger.verify(session) == []
    listed = app_client.get("/grants/audit", params={"result": "issue"}, headers=auditor)
    assert "发票重复报销" in listed.text
    assert "4,000.00" in listed.text
    assert app_client.get("/grants/audit.xlsx", headers=auditor).status_code == 200
