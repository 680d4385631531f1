"""The bad inputs the issue names: each gets a Chinese message and a stable code, nothing half-written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from tests.exchange.conftest import World

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.audit import AuditRecord
from longcheng.core.clock import utcnow
from longcheng.exchange.bidding import placing
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import LotBid
from longcheng.exchange.listings.models import Registration


def bid(
    world: World, lot_id: int, who_headers: dict[str, str], amount: str, key: str
) -> tuple[int, dict[str, object]]:
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": amount, "idempotency_key": key},
        headers=who_headers,
    )
    return r.status_code, r.json()


def live(world: World, *, fund_c: bool = True) -> tuple[str, int]:
    code = world.published()
    a, b, c = world.bidders
    for who in (a, b) + ((c,) if fund_c else ()):
        world.fund(who, "50000")
    world.qualified(code, a)
    world.qualified(code, b)
    return code, world.go_live(code)


def test_bids_off_the_step_or_not_better_are_refused_with_their_codes(world: World) -> None:
    code, lot_id = live(world)
    a, b, _ = world.bidders
    assert bid(world, lot_id, a.headers, "100500", "k1") == (
        409,
        {"code": "exchange.bid_off_step", "message": "报价须为起始价加整数倍加价幅度。"},
    )
    assert bid(world, lot_id, a.headers, "100000", "k2")[0] == 201
    status, body = bid(world, lot_id, b.headers, "100000", "k3")
    assert status == 409
    assert body["code"] == "exchange.bid_too_low"
    status, body = bid(world, lot_id, b.headers, "200000", "k4")
    assert status == 409
    assert body["code"] == "exchange.bid_too_many_steps"
    status, body = bid(world, lot_id, a.headers, "101000", "k5")
    assert status == 409
    assert body["code"] == "exchange.already_leading"
    assert world.session.scalar(select(func.count(LotBid.id)).where(LotBid.lot_id == lot_id)) == 1


def test_the_same_bid_sent_twice_is_one_bid(world: World) -> None:
    _code, lot_id = live(world)
    a = world.bidders[0]
    first = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": "100000", "idempotency_key": "dbl"},
        headers=a.headers,
    )
    again = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={"amount": "100000", "idempotency_key": "dbl"},
        headers=a.headers,
    )
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["duplicate"]
    assert again.json()["seq"] == first.json()["seq"] == 1
    assert world.session.scalar(select(func.count(LotBid.id)).where(LotBid.lot_id == lot_id)) == 1


def test_a_bid_one_millisecond_after_the_close_is_refused_and_the_page_says_closed(world: World) -> None:
    _code, lot_id = live(world)
    world.end(lot_id)
    status, body = bid(world, lot_id, world.bidders[0].headers, "100000", "late")
    assert status == 409
    assert body["code"] == "exchange.bid_closed"
    assert world.client.get(f"/api/v1/exchange/lots/{lot_id}").json()["phase_label"] == "已结束"


def test_unqualified_bidders_and_bidders_without_deposit_cannot_bid(world: World) -> None:
    code, lot_id = live(world)
    c = world.bidders[2]
    status, body = bid(world, lot_id, c.headers, "100000", "x")
    assert status == 403
    assert body["code"] == "exchange.not_qualified"
    reg = world.session.scalar(select(Registration).where(Registration.bidder_id == world.bidders[0].id))
    assert reg is not None
    reg.deposit = "none"
    world.session.commit()
    status, body = bid(world, lot_id, world.bidders[0].headers, "100000", "y")
    assert status == 403
    assert body["code"] == "exchange.deposit_missing"


def test_the_server_clock_stamps_bids_whatever_the_browser_says(world: World) -> None:
    """A browser ten minutes wrong: the page gets the server time; the bid's time is the server's."""
    _code, lot_id = live(world)
    before = utcnow()
    r = world.client.post(
        f"/api/v1/exchange/lots/{lot_id}/bids",
        json={
            "amount": "100000",
            "idempotency_key": "clk",
            "at": (before - timedelta(minutes=10)).isoformat(),
        },
        headers=world.bidders[0].headers,
    )
    assert r.status_code == 201
    from datetime import datetime

    stamped = datetime.fromisoformat(r.json()["at"])
    assert before <= stamped <= utcnow()
    assert "server_time" in world.client.get(f"/api/v1/exchange/lots/{lot_id}").json()


def test_two_bids_at_the_same_millisecond_are_sequenced_and_the_second_must_be_better(world: World) -> None:
    _code, lot_id = live(world)
    a, b, _ = world.bidders
    now = utcnow()
    actor_a = Actor(id=_user_id(world, a.id), username="bidder0", role=Role.bidder)
    actor_b = Actor(id=_user_id(world, b.id), username="bidder1", role=Role.bidder)
    first = placing.place_bid(
        world.session, actor=actor_a, lot_id=lot_id, amount_fen=10_000_000, idem_key="s1", now=now
    )
    with pytest.raises(bidding.BidRefused) as info:
        placing.place_bid(
            world.session, actor=actor_b, lot_id=lot_id, amount_fen=10_000_000, idem_key="s2", now=now
        )
    assert info.value.code_text == "exchange.bid_too_low"
    second = placing.place_bid(
        world.session, actor=actor_b, lot_id=lot_id, amount_fen=10_100_000, idem_key="s3", now=now
    )
    assert (first.bid.seq, second.bid.seq) == (1, 2)
    assert second.bid.prev_hash == first.bid.hash


def _user_id(world: World, bidder_id: int) -> int:
    from longcheng.exchange.models import Bidder

    b = world.session.get(Bidder, bidder_id)
    assert b is not None
    assert b.user_id is not None
    return b.user_id


def test_a_third_party_deposit_is_held_and_an_unknown_account_is_held_too(world: World) -> None:
    a = world.bidders[0]
    out = world.fund(a, "30000", payer="张三")
    assert out == {"matched": 0, "held": 1, "unknown": 0, "duplicates": 0}
    me = world.client.get("/api/v1/exchange/me", headers=a.headers).json()
    assert me["available_fen"] == 0
    ghost = type(a)(a.id, a.name, a.headers, "880299999999999")
    assert world.fund(ghost, "100")["unknown"] == 1
    from longcheng.exchange.ledger.models import BankLine

    held = world.session.scalar(select(BankLine).where(BankLine.payer_name == "张三"))
    assert held is not None
    r = world.client.post(
        f"/api/v1/exchange/bank-lines/{held.id}/resolve",
        json={"accept": True, "reason": "已核实为代付并取得授权"},
        headers=world.operator,
    )
    assert r.status_code == 200
    assert r.json()["status"] == "booked"
    assert world.client.get("/api/v1/exchange/me", headers=a.headers).json()["available_fen"] == 3_000_000
    assert world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin).json()["ok"]


def test_a_statement_imported_twice_books_nothing_twice_and_a_bad_row_books_nothing(world: World) -> None:
    import io

    a = world.bidders[0]
    csv = "流水号,虚拟账号,付款人户名,付款人账号,金额（元）,入账时间\n"
    csv += f"R1,{a.virtual_account},{a.name},6222,100.00,2026-12-01 09:00\n"
    send = lambda text: world.client.post(  # noqa: E731
        "/api/v1/exchange/bank-statements",
        files={"file": ("s.csv", io.BytesIO(text.encode()), "text/csv")},
        headers=world.operator,
    )
    assert send(csv).json()["matched"] == 1
    assert send(csv).json()["duplicates"] == 1
    bad = send(
        csv
        + f"R2,{a.virtual_account},{a.name},6222,-5,2026-12-01 09:00\n"
        + f"R3,{a.virtual_account},{a.name},6222,7,2026-12-01\n"
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "exchange.statement_invalid"
    assert world.client.get("/api/v1/exchange/me", headers=a.headers).json()["available_fen"] == 10_000


def test_a_refund_requested_twice_is_refused(world: World) -> None:
    a = world.bidders[0]
    world.fund(a, "5000")
    first = world.client.post("/api/v1/exchange/refunds", headers=a.headers)
    assert first.status_code == 201
    assert first.json()["to_account"] == "6222000011112222"
    again = world.client.post("/api/v1/exchange/refunds", headers=a.headers)
    assert again.status_code == 409
    assert again.json()["code"] == "exchange.refund_pending"
    paid = world.client.post(f"/api/v1/exchange/refunds/{first.json()['id']}/pay", headers=world.operator)
    assert paid.json()["status"] == "paid"
    assert world.client.get("/api/v1/exchange/ledger/verify", headers=world.admin).json()["ok"]


def test_an_operator_cannot_see_identities_before_the_close_and_the_attempt_is_recorded(world: World) -> None:
    _code, lot_id = live(world)
    r = world.client.get(f"/api/v1/exchange/lots/{lot_id}/identities", headers=world.operator)
    assert r.status_code == 403
    assert r.json()["code"] == "exchange.identities_sealed"
    denied = world.session.scalar(
        select(func.count(AuditRecord.id)).where(AuditRecord.action == "exchange.identities.denied")
    )
    assert denied == 1
    world.end(lot_id)
    bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)
    world.session.commit()
    names = world.client.get(f"/api/v1/exchange/lots/{lot_id}/identities", headers=world.operator).json()
    assert {n["name"] for n in names} == {world.bidders[0].name, world.bidders[1].name}


def test_an_operator_of_another_institution_cannot_touch_the_listing(world: World) -> None:
    import random

    from tests.factories import bearer, make_user

    from longcheng.core.ids import make_uscc
    from longcheng.exchange import service as parties
    from longcheng.exchange.schemas import InstitutionIn

    other = make_uscc(random.Random(5), division="320100")
    parties.create_institution(
        world.session, actor=SYSTEM, data=InstitutionIn(code="NJ", name="南京产权交易所", uscc=other)
    )
    nj = bearer(world.session, make_user(world.session, username="nj_op", role=Role.operator, org_uscc=other))
    world.session.commit()
    r = world.client.post("/api/v1/exchange/listings", json=world.listing_body(), headers=world.operator)
    code = r.json()["code"]
    r = world.client.post(f"/api/v1/exchange/listings/{code}/submit", headers=nj)
    assert r.status_code == 403
    assert r.json()["code"] == "exchange.other_institution"


def test_class_fields_are_checked_by_label(world: World) -> None:
    body = world.listing_body(fields={"plate": "ABC", "mileage_km": -1})
    r = world.client.post("/api/v1/exchange/listings", json=body, headers=world.operator)
    assert r.status_code == 422
    assert r.json()["code"] == "exchange.fields_invalid"
    details = r.json()["details"]
    assert details["车牌号"] == "格式不正确"
    assert details["车辆识别代号（VIN）"] == "必填"
    assert "行驶里程（公里）" in details


def test_a_natural_person_bids_with_a_checked_id_shown_masked_and_enrolled_once(world: World) -> None:
    from datetime import date

    from longcheng.core.pii import ids

    number = ids.make_number("320402", date(1990, 1, 1), 123)
    body = {"name": "王小明", "id_number": number}
    r = world.client.post("/api/v1/exchange/bidders", json=body, headers=world.operator)
    assert r.status_code == 201, r.text
    assert r.json()["id_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in r.text
    again = world.client.post("/api/v1/exchange/bidders", json=body, headers=world.operator)
    assert again.status_code == 409
    assert again.json()["code"] == "exchange.bidder_exists"
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    bad = world.client.post(
        "/api/v1/exchange/bidders", json={"name": "李四", "id_number": wrong}, headers=world.operator
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "pii.resident_id_invalid"
