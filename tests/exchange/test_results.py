"""After the hammer: the audit file anyone can verify, the 成交确认书, payment, default, 交割."""

from __future__ import annotations

import json

from tests.exchange.conftest import World

from longcheng.core.actors import SYSTEM
from longcheng.exchange.auditfile import chain
from longcheng.exchange.bidding import service as bidding


def sold_lot(world: World) -> tuple[str, int]:
    code = world.published()
    a, b, _ = world.bidders
    for who in (a, b):
        world.fund(who, "150000")
    world.qualified(code, a)
    world.qualified(code, b)
    lot_id = world.go_live(code)
    for who, amount, key in ((a, "100000", "1"), (b, "101000", "2"), (a, "103000", "3")):
        r = world.client.post(
            f"/api/v1/exchange/lots/{lot_id}/bids",
            json={"amount": amount, "idempotency_key": key},
            headers=who.headers,
        )
        assert r.status_code == 201, r.text
    world.end(lot_id)
    assert bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)
    world.session.commit()
    return code, lot_id


def test_the_audit_file_holds_every_bid_in_a_verifiable_chain_and_tampering_is_found(world: World) -> None:
    _code, lot_id = sold_lot(world)
    data = world.client.get(f"/api/v1/exchange/lots/{lot_id}/audit-file").content
    verdict = chain.verify(data)
    assert verdict.ok
    assert verdict.bids == 3
    body = json.loads(data)
    assert [b["amount_fen"] for b in body["bids"]] == [10_000_000, 10_100_000, 10_300_000]
    assert all(len(b["bidder_no"]) == 6 for b in body["bids"])
    body["bids"][1]["amount_fen"] = 10_200_000
    bad = chain.verify(json.dumps(body).encode())
    assert not bad.ok
    assert "第 2 条" in bad.message


def test_the_audit_file_is_not_given_before_the_close(world: World) -> None:
    code = world.published()
    lot_id = world.go_live(code)
    r = world.client.get(f"/api/v1/exchange/lots/{lot_id}/audit-file")
    assert r.status_code == 409
    assert r.json()["code"] == "exchange.lot_open"


def test_the_confirmation_pdf_is_for_staff_and_the_winner_pays_the_balance(world: World) -> None:
    code, lot_id = sold_lot(world)
    r = world.client.get(f"/api/v1/exchange/lots/{lot_id}/confirmation.pdf", headers=world.operator)
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
    assert (
        world.client.get(
            f"/api/v1/exchange/lots/{lot_id}/confirmation.pdf", headers=world.bidders[0].headers
        ).status_code
        == 403
    )
    from longcheng.exchange.bidding import results

    lot, listing = bidding.get_lot(world.session, lot_id)
    deal = results.deal(world.session, actor=SYSTEM, lot=lot, listing=listing)
    assert deal.price_fen == 10_300_000
    assert deal.buyer == world.bidders[0].name
    assert (
        world.client.post(f"/api/v1/exchange/lots/{lot_id}/pay", headers=world.operator).json()["status"]
        == "paid"
    )
    me_a = world.client.get("/api/v1/exchange/me", headers=world.bidders[0].headers).json()
    assert me_a["available_fen"] == 15_000_000 - 10_300_000
    assert me_a["frozen_fen"] == 0
    me_b = world.client.get("/api/v1/exchange/me", headers=world.bidders[1].headers).json()
    assert me_b["available_fen"] == 15_000_000
    files = {"files": ("交割单.pdf", b"%PDF-1.4 test", "application/pdf")}
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/delivery",
        data={"note": "车辆及钥匙已移交"},
        files=files,
        headers=world.operator,
    )
    assert r.json()["status"] == "delivered"
    assert world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin).json()["ok"]
    assert code


def test_a_defaulting_winner_forfeits_and_the_runner_up_takes_the_lot(world: World) -> None:
    _code, lot_id = sold_lot(world)
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/default", json={"reason": "逾期未付余款"}, headers=world.operator
    )
    assert r.json()["status"] == "runner_up"
    lot, _listing = bidding.get_lot(world.session, lot_id)
    world.session.refresh(lot)
    assert lot.price_fen == 10_100_000
    me_a = world.client.get("/api/v1/exchange/me", headers=world.bidders[0].headers).json()
    assert me_a["available_fen"] == 15_000_000 - 2_000_000
    assert me_a["frozen_fen"] == 0
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/default",
        json={"reason": "次高报价人亦未付款"},
        headers=world.operator,
    )
    assert r.json()["status"] == "relist"
    assert world.listing(_code).status == "unsold"
    r = world.client.post(
        f"/api/v1/exchange/listings/{_code}/relist", json={"start_price": "85000"}, headers=world.operator
    )
    assert r.status_code == 422
    assert r.json()["code"] == "exchange.relist_below_floor"
    r = world.client.post(
        f"/api/v1/exchange/listings/{_code}/relist", json={"start_price": "92000"}, headers=world.operator
    )
    assert r.status_code == 200
    assert r.json()["attempt"] == 2
    assert r.json()["status"] == "draft"
    assert world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin).json()["ok"]


def test_the_sse_stream_resumes_after_the_last_event_id(world: World) -> None:
    _code, lot_id = sold_lot(world)
    with world.client.stream(
        "GET", f"/api/v1/exchange/lots/{lot_id}/events", headers={"Last-Event-ID": "1"}
    ) as r:
        text = "".join(r.iter_text())
    ids = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:")]
    assert ids == ["2", "3"]
    assert "event: closed" in text


def test_the_feed_pages_by_a_stable_cursor(world: World) -> None:
    sold_lot(world)
    whole = world.client.get("/api/v1/exchange/feed?cursor=0").json()["events"]
    first = world.client.get("/api/v1/exchange/feed?cursor=0&limit=1").json()
    rest = world.client.get(f"/api/v1/exchange/feed?cursor={first['next_cursor']}").json()["events"]
    assert [e["id"] for e in first["events"] + rest] == [e["id"] for e in whole]
    assert [e["kind"] for e in whole] == ["listed", "status", "result"]


def test_the_cli_verifies_a_downloaded_audit_file_and_names_a_broken_one(
    world: World, tmp_path: object
) -> None:
    from pathlib import Path

    from typer.testing import CliRunner

    from longcheng.exchange.cli import app

    _code, lot_id = sold_lot(world)
    good = Path(str(tmp_path)) / "audit.json"
    good.write_bytes(world.client.get(f"/api/v1/exchange/lots/{lot_id}/audit-file").content)
    out = CliRunner().invoke(app, ["verify-auction", str(good)])
    assert out.exit_code == 0
    assert "校验通过：共 3 条报价" in out.output
    body = json.loads(good.read_bytes())
    body["bids"].pop(1)
    bad = Path(str(tmp_path)) / "bad.json"
    bad.write_text(json.dumps(body))
    out = CliRunner().invoke(app, ["verify-auction", str(bad)])
    assert out.exit_code == 1
    assert "序号不连续" in out.output


def test_the_closer_settles_lots_past_their_deadline_and_the_deadline_job_reschedules(
    world: World, session_factory: object
) -> None:
    from longcheng.exchange.cli import close_due_now

    code = world.published()
    a, b, _ = world.bidders
    world.fund(a, "50000")
    world.qualified(code, a)
    lot_id = world.go_live(code, free_seconds=0, countdown=600)
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": "100000", "idempotency_key": "t"},
        headers=a.headers,
    )
    assert r.status_code == 201
    assert not bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)  # not due: a new deadline job
    assert close_due_now(session_factory) == 0  # type: ignore[arg-type]
    world.end(lot_id)
    assert close_due_now(session_factory) == 1  # type: ignore[arg-type]
    assert world.listing(code).status == "sold"
    assert b
