"""Sealed tendering end to end: nobody reads a price before 开标, the opening needs the officers' shares."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from tests.exchange.tendering.conftest import BASE, TenderWorld

from longcheng.core.clock import utcnow
from longcheng.exchange.seal import envelope


def test_bid_security_is_capped_at_two_percent_of_the_budget(tw: TenderWorld) -> None:
    r = tw.w.client.post(BASE, json=tw.body(security="20000.01"), headers=tw.w.operator)
    assert r.status_code == 422
    assert r.json()["code"] == "tendering.security_too_high"


def test_a_share_is_handed_over_once_and_not_kept(tw: TenderWorld) -> None:
    tw.create()
    tw.collect_shares()
    again = tw.w.client.post(f"{BASE}/{tw.code}/my-share", headers=tw.officers[0])
    assert again.status_code == 409
    assert again.json()["code"] == "tendering.share_already_collected"
    kept = tw.w.session.execute(text("select pending_token from exchange_tender_key_share")).scalars().all()
    assert kept == [None, None, None]
    stranger = tw.w.client.post(f"{BASE}/{tw.code}/my-share", headers=tw.w.admin)
    assert stranger.status_code == 403


def test_nobody_reads_a_sealed_bid_before_opening(tw: TenderWorld) -> None:
    tw.create()
    tw.collect_shares()
    tw.enter(0)
    r = tw.bid(0, "876543.21")
    assert r.status_code == 201, r.text
    receipt = r.json()["digest"]
    for who in (tw.w.operator, tw.w.admin):
        rows = tw.w.client.get(f"{BASE}/{tw.code}/bids", headers=who).json()
        assert [(b["digest"], b["price_fen"]) for b in rows] == [(receipt, None)]
    assert "876543" not in tw.w.client.get(f"{BASE}/{tw.code}").text
    sealed, price = tw.w.session.execute(text("select sealed, price_fen from exchange_tender_bid")).one()
    assert price is None
    assert "876543" not in sealed
    dump = " ".join(
        str(v) for v in tw.w.session.execute(text("select * from exchange_tender_key_share")).all()
    )
    assert all(s.split("-", 1)[1] not in dump for s in tw.shares)
    other_private, _ = envelope.new_key_pair()
    try:
        envelope.open_(other_private, sealed, aad=b"x")
        raise AssertionError("opened without the key")
    except envelope.SealError:
        pass
    early = tw.w.client.post(f"{BASE}/{tw.code}/shares", json={"share": tw.shares[0]}, headers=tw.officers[0])
    assert early.json()["code"] == "tendering.not_yet_open"
    assert (
        tw.w.client.post(f"{BASE}/{tw.code}/open", headers=tw.w.operator).json()["code"]
        == "tendering.not_yet_open"
    )


def test_a_bid_one_second_after_the_deadline_is_refused(tw: TenderWorld) -> None:
    tw.create()
    tw.enter(0)
    assert tw.bid(0, "900000").status_code == 201
    tw.move(deadline=utcnow() - timedelta(seconds=1))
    late = tw.bid(0, "800000")
    assert late.status_code == 409
    assert late.json()["code"] == "tendering.deadline_passed"
    assert "截止" in late.json()["message"]


def test_opening_with_a_missing_share_waits_then_opens_with_the_threshold(tw: TenderWorld) -> None:
    tw.create()
    tw.collect_shares()
    for i, price in enumerate(("950000", "930000.50", "990000")):
        tw.enter(i)
        assert tw.bid(i, price).status_code == 201
    tw.reach_opening()
    assert (
        tw.w.client.post(
            f"{BASE}/{tw.code}/shares", json={"share": tw.shares[0]}, headers=tw.officers[0]
        ).status_code
        == 200
    )
    wrong = tw.w.client.post(f"{BASE}/{tw.code}/shares", json={"share": tw.shares[0]}, headers=tw.officers[1])
    assert wrong.json()["code"] == "tendering.share_mismatch"
    r = tw.w.client.post(f"{BASE}/{tw.code}/open", headers=tw.w.operator)
    assert r.status_code == 409
    assert r.json()["code"] == "tendering.shares_missing"
    assert "至少需要 2 份" in r.json()["message"]
    assert tw.w.client.get(f"{BASE}/{tw.code}").json()["status"] == "bidding"
    assert (
        tw.w.client.post(
            f"{BASE}/{tw.code}/shares", json={"share": tw.shares[2]}, headers=tw.officers[2]
        ).status_code
        == 200
    )
    opened = tw.w.client.post(f"{BASE}/{tw.code}/open", headers=tw.w.operator)
    assert opened.status_code == 200, opened.text
    record = opened.json()["opening_record"]
    assert sorted(b["报价（元）"] for b in record["投标"]) == [930000.5, 950000.0, 990000.0]
    assert record["未出示"] == ["cz_officer2"]
    prices = [b["price_fen"] for b in tw.w.client.get(f"{BASE}/{tw.code}/bids", headers=tw.w.operator).json()]
    assert sorted(prices) == [93000050, 95000000, 99000000]
    left = tw.w.session.execute(text("select presented_token from exchange_tender_key_share")).scalars().all()
    assert left == [None, None, None]


def test_publicity_objections_and_award(tw: TenderWorld) -> None:
    tw.create()
    tw.collect_shares()
    for i, price in enumerate(("950000", "930000", "990000")):
        tw.enter(i)
        tw.bid(i, price)
    tw.reach_opening()
    for k in (0, 1):
        tw.w.client.post(f"{BASE}/{tw.code}/shares", json={"share": tw.shares[k]}, headers=tw.officers[k])
    tw.w.client.post(f"{BASE}/{tw.code}/open", headers=tw.w.operator)
    pub = tw.w.client.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator).json()
    assert [c["bidder"] for c in pub["candidates"]] == [
        tw.w.bidders[1].name,
        tw.w.bidders[0].name,
        tw.w.bidders[2].name,
    ]
    obj = tw.w.client.post(
        f"{BASE}/{tw.code}/objections",
        json={"text": "第一中标候选人业绩证明存疑"},
        headers=tw.w.bidders[2].headers,
    )
    assert obj.status_code == 201
    early = tw.w.client.post(
        f"{BASE}/{tw.code}/award", json={"contract_no": "CZ-HT-2026-01"}, headers=tw.w.operator
    )
    assert early.json()["code"] == "tendering.publicity_open"
    tw.move(publicity_ends_at=utcnow() - timedelta(seconds=1))
    late = tw.w.client.post(
        f"{BASE}/{tw.code}/objections", json={"text": "公示期后才发现的问题"}, headers=tw.w.bidders[0].headers
    )
    assert late.status_code == 409
    assert late.json()["code"] == "tendering.publicity_closed"
    blocked = tw.w.client.post(
        f"{BASE}/{tw.code}/award", json={"contract_no": "CZ-HT-2026-01"}, headers=tw.w.operator
    )
    assert blocked.json()["code"] == "tendering.objection_open"
    oid = obj.json()["id"]
    tw.w.client.post(
        f"{BASE}/{tw.code}/objections/{oid}/reply",
        json={"reply": "经核查业绩证明真实有效"},
        headers=tw.w.operator,
    )
    done = tw.w.client.post(
        f"{BASE}/{tw.code}/award", json={"contract_no": "CZ-HT-2026-01"}, headers=tw.w.operator
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["contract_no"]) == ("awarded", "CZ-HT-2026-01")
    frozen = tw.w.session.execute(text("select security from exchange_tender_entrant")).scalars().all()
    assert set(frozen) == {"released"}


def test_a_client_sealed_bid_and_an_invited_tender(tw: TenderWorld) -> None:
    few = tw.w.client.post(BASE, json=tw.body(procedure="invited", invited_usccs=[]), headers=tw.w.operator)
    assert (few.status_code, few.json()["code"]) == (422, "tendering.too_few_suppliers")
    others = ["91320400MA1AAAAAA1", "91320400MA1AAAAAA2", "91320400MA1AAAAAA3"]
    tw.create(procedure="invited", invited_usccs=others)
    tw.w.fund(tw.w.bidders[0], "50000")
    r = tw.w.client.post(f"{BASE}/{tw.code}/entrants", headers=tw.w.bidders[0].headers)
    assert r.status_code == 403
    assert r.json()["code"] == "tendering.not_invited"
    tw.create()
    public = bytes.fromhex(tw.w.client.get(f"{BASE}/{tw.code}").json()["public_key"])
    tw.enter(1)
    bidder_id = tw.w.bidders[1].id
    sealed = envelope.seal(public, b'{"price_fen": 88800000}', aad=f"{tw.code}|{bidder_id}".encode())
    r = tw.w.client.post(f"{BASE}/{tw.code}/bids", json={"sealed": sealed}, headers=tw.w.bidders[1].headers)
    assert r.status_code == 201
    assert r.json()["digest"] == envelope.digest(sealed)


def test_an_operator_of_another_institution_cannot_run_the_tender(
    tw: TenderWorld, other_operator: dict[str, str]
) -> None:
    tw.create()
    for url, body in (
        (f"{BASE}/{tw.code}/documents", {"title": "答疑一", "body": "问：交货期？答：30日。"}),
        (f"{BASE}/{tw.code}/open", None),
        (f"{BASE}/{tw.code}/publicity", None),
    ):
        r = tw.w.client.post(url, json=body, headers=other_operator)
        assert r.status_code == 403, (url, r.text)
    doc = tw.w.client.post(
        f"{BASE}/{tw.code}/documents",
        json={"title": "答疑一", "body": "问：交货期？答：30日。"},
        headers=tw.w.operator,
    )
    assert doc.status_code == 201
    sha = doc.json()["sha256"]
    assert tw.w.client.get(f"{BASE}/{tw.code}/documents/{sha}").json()["version"] == 2


def test_the_tender_pages_show_the_notice_and_after_opening_the_record(tw: TenderWorld) -> None:
    tw.create()
    listing = tw.w.client.get("/exchange/tenders")
    assert listing.status_code == 200
    assert tw.code in listing.text
    page = tw.w.client.get(f"/exchange/tenders/{tw.code}")
    assert "投标中" in page.text
    assert "招标公告" in page.text
    assert "开标记录" not in page.text
