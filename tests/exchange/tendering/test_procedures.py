"""竞争性谈判 and 询价: invited suppliers (at least the rule's minimum), sealed quotes, rounds, and the
award to the lowest quote found to meet the requirements."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text
from tests.exchange.tendering.conftest import BASE, TenderWorld

from longcheng.core.clock import utcnow
from longcheng.exchange.models import Bidder


def _usccs(tw: TenderWorld) -> list[str]:
    s = tw.w.session
    return [str(s.scalar(select(Bidder.uscc).where(Bidder.id == b.id))) for b in tw.w.bidders]


def _open_round(tw: TenderWorld) -> dict[str, object]:
    tw.reach_opening()
    for k in (0, 1):
        r = tw.w.client.post(f"{BASE}/{tw.code}/shares", json={"share": tw.shares[k]}, headers=tw.officers[k])
        assert r.status_code == 200, r.text
    opened = tw.w.client.post(f"{BASE}/{tw.code}/open", headers=tw.w.operator)
    assert opened.status_code == 200, opened.text
    return dict(opened.json())


def _bid_ids(tw: TenderWorld) -> dict[str, int]:
    rows = tw.w.session.execute(text("select id, bidder_id from exchange_tender_bid")).all()
    names = {b.id: b.name for b in tw.w.bidders}
    return {names[int(r[1])]: int(r[0]) for r in rows}


def test_an_inquiry_needs_three_invited_suppliers_and_takes_one_quote_each(tw: TenderWorld) -> None:
    c = tw.w.client
    usccs = _usccs(tw)
    few = c.post(BASE, json=tw.body(procedure="inquiry", invited_usccs=usccs[:2]), headers=tw.w.operator)
    assert (few.status_code, few.json()["code"]) == (422, "tendering.too_few_suppliers")
    assert "不少于 3 家" in few.json()["message"]
    tw.create(procedure="inquiry", invited_usccs=usccs)
    tw.collect_shares()
    for i, price in enumerate(("98000", "95000", "99000")):
        tw.enter(i)
        assert tw.bid(i, price).status_code == 201
    again = tw.bid(0, "90000")
    assert (again.status_code, again.json()["code"]) == (409, "tendering.quote_final")
    assert "不得更改" in again.json()["message"]
    _open_round(tw)
    pending = c.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator)
    assert pending.json()["code"] == "tendering.judgement_pending"
    ids = _bid_ids(tw)
    cheapest = tw.w.bidders[1].name
    no_reason = c.post(
        f"{BASE}/{tw.code}/judgements",
        json={"bid_id": ids[cheapest], "compliant": False},
        headers=tw.w.operator,
    )
    assert no_reason.json()["code"] == "tendering.reason_required"
    for name, bid_id in ids.items():
        body = {"bid_id": bid_id, "compliant": name != cheapest, "note": "交货期不满足采购需求"}
        r = c.post(f"{BASE}/{tw.code}/judgements", json=body, headers=tw.w.operator)
        assert r.status_code == 200, r.text
    pub = c.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator)
    assert pub.status_code == 200, pub.text
    assert [x["bidder"] for x in pub.json()["candidates"]] == [tw.w.bidders[0].name, tw.w.bidders[2].name]


def test_a_negotiation_takes_sealed_quotes_in_two_rounds(tw: TenderWorld) -> None:
    c = tw.w.client
    tw.create(procedure="negotiate", invited_usccs=_usccs(tw))
    assert c.get(f"{BASE}/{tw.code}").json()["rounds"] == 2
    tw.collect_shares()
    for i, price in enumerate(("98000", "95000", "99000")):
        tw.enter(i)
        assert tw.bid(i, price).status_code == 201
    first = _open_round(tw)
    assert first["round"] == 1
    early = c.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator)
    assert early.json()["code"] == "tendering.rounds_pending"
    now = utcnow()
    times = {
        "deadline": (now + timedelta(days=1)).isoformat(),
        "opening_at": (now + timedelta(days=2)).isoformat(),
    }
    nxt = c.post(f"{BASE}/{tw.code}/rounds", json=times, headers=tw.w.operator)
    assert nxt.status_code == 200, nxt.text
    assert (nxt.json()["round"], nxt.json()["status"]) == (2, "bidding")
    late_entry = c.post(f"{BASE}/{tw.code}/entrants", headers=tw.w.bidders[0].headers)
    assert late_entry.status_code == 409
    assert tw.bid(0, "94000").status_code == 201
    assert tw.bid(0, "93500").status_code == 201  # a quote may be revised before the round closes
    sealed = (
        tw.w.session.execute(text("select price_fen from exchange_tender_bid where round = 2"))
        .scalars()
        .all()
    )
    assert sealed == [None]
    second = _open_round(tw)
    rows = {r["投标人"]: r for r in second["opening_record"]["投标"]}
    assert rows[tw.w.bidders[0].name]["报价（元）"] == 93500.0
    assert rows[tw.w.bidders[1].name]["说明"] == "沿用第 1 轮报价"
    assert len(second["opening_record"]["前轮"]) == 1
    again = c.post(f"{BASE}/{tw.code}/rounds", json=times, headers=tw.w.operator)
    assert again.json()["code"] == "tendering.no_more_rounds"
    for bid_id in _bid_ids(tw).values():
        c.post(
            f"{BASE}/{tw.code}/judgements", json={"bid_id": bid_id, "compliant": True}, headers=tw.w.operator
        )
    pub = c.post(f"{BASE}/{tw.code}/publicity", headers=tw.w.operator).json()
    assert [x["bidder"] for x in pub["candidates"]][:2] == [tw.w.bidders[0].name, tw.w.bidders[1].name]
    assert pub["candidates"][0]["price_fen"] == 9350000


def test_a_bad_procedure_in_the_charter_names_the_line(tw: TenderWorld) -> None:
    from importlib import resources

    import pytest

    from longcheng.exchange.charter import terms

    raw = resources.files("longcheng.exchange.data").joinpath("alliance.yaml").read_text("utf-8")
    broken = raw.replace("inquiry: {min_suppliers: 3,", "inquiry: {min_suppliers: 0,")
    with pytest.raises(terms.CharterError) as err:
        terms.parse(broken)
    line = next(i for i, ln in enumerate(broken.splitlines(), 1) if ln.strip().startswith("inquiry:"))
    assert str(err.value).startswith(f"alliance.yaml:{line}: tendering.procedures.inquiry:")


def test_an_operator_of_another_institution_cannot_run_rounds_findings_or_the_panel(
    tw: TenderWorld, other_operator: dict[str, str]
) -> None:
    tw.create(procedure="negotiate", invited_usccs=_usccs(tw))
    now = utcnow()
    for url, body in (
        (
            "rounds",
            {
                "deadline": (now + timedelta(days=1)).isoformat(),
                "opening_at": (now + timedelta(days=2)).isoformat(),
            },
        ),
        ("judgements", {"bid_id": 1, "compliant": True}),
        ("panel/absent", {"expert_code": "E0001", "reason": "未到场"}),
    ):
        r = tw.w.client.post(f"{BASE}/{tw.code}/{url}", json=body, headers=other_operator)
        assert r.status_code == 403, (url, r.text)
    page = tw.w.client.post(f"/exchange/tenders/{tw.code}/open", headers=other_operator)
    assert page.status_code == 403
