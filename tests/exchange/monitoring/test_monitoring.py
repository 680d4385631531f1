"""Process monitoring: the alliance dashboard, risk signals with evidence and review, the report."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select
from tests.exchange.conftest import World
from tests.factories import bearer, login, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.ledger.models import BankLine
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.models import Bidder
from longcheng.exchange.monitoring import report
from longcheng.exchange.monitoring.models import RiskScan
from longcheng.registry import service as registry_service
from longcheng.registry.people.schemas import OrgPersonIn

BASE = "/api/v1/exchange/monitoring"


def _close(world: World, code: str, bids: list[tuple[int, str]]) -> None:
    lot_id = world.go_live(code)
    for n, (who, amount) in enumerate(bids):
        r = world.client.post(
            f"/api/v1/exchange/lots/{lot_id}/bids",
            json={"amount": amount, "idempotency_key": f"{code}-{n}"},
            headers=world.bidders[who].headers,
        )
        assert r.status_code == 201, r.text
    world.end(lot_id)
    assert bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)
    world.session.commit()


def _history(world: World) -> tuple[str, str]:
    """Lot 1: bidders 0 and 1 (same legal rep, deposits from one third party) — 0 wins at 103000.
    Lot 2: bidder 2 alone, sold at the start price."""
    a, b, c = world.bidders
    usccs = {x.id: x.uscc for x in world.session.scalars(select(Bidder))}
    for who in (a, b):
        registry_service.set_people(
            world.session,
            actor=SYSTEM,
            uscc=usccs[who.id] or "",
            people=[OrgPersonIn(role="legal_rep", name="王建国", id_number="320402199001011239")],
        )
        world.fund(who, "150000", payer="常州某某贸易有限公司")  # held: not the bidder's own account
        line = world.session.scalar(select(BankLine).where(BankLine.bidder_id == who.id))
        assert line is not None
        r = world.client.post(
            f"/api/v1/exchange/bank-lines/{line.id}/resolve",
            json={"accept": True, "reason": "付款人出具代付说明"},
            headers=world.operator,
        )
        assert r.status_code == 200, r.text
    world.fund(c, "150000")
    world.session.commit()
    first = world.published()
    world.qualified(first, a)
    world.qualified(first, b)
    _close(world, first, [(0, "100000"), (1, "101000"), (0, "103000")])
    second = world.published()
    world.qualified(second, c)
    _close(world, second, [(2, "100000")])
    return first, second


def test_dashboard_by_institution_class_and_month_with_xlsx(world: World) -> None:
    _history(world)
    rows = world.client.get(f"{BASE}/dashboard?group=institution", headers=world.admin).json()
    assert [(r["label"], r["closed"], r["sold"], r["volume_fen"]) for r in rows] == [
        ("常州产权交易所", 2, 2, 20300000)
    ]
    assert rows[0]["premium_pct"] == 1.5
    assert rows[0]["unsold_pct"] == 0.0
    by_class = world.client.get(f"{BASE}/dashboard?group=class", headers=world.admin).json()
    assert by_class[0]["label"] == "车辆"
    assert len(world.client.get(f"{BASE}/dashboard?group=month", headers=world.admin).json()) == 1
    x = world.client.get(f"{BASE}/dashboard.xlsx?group=class", headers=world.admin)
    assert x.status_code == 200
    assert x.content[:2] == b"PK"
    page = world.client.get("/exchange/monitoring?group=class", headers=world.admin)
    assert page.status_code == 200
    assert "流拍率" in page.text
    assert world.client.get(f"{BASE}/dashboard?group=seller", headers=world.admin).json()["code"] == (
        "exchange.monitoring.bad_group"
    )


def test_an_operator_sees_only_its_own_institution(world: World, other_operator: dict[str, str]) -> None:
    _history(world)
    assert world.client.get(f"{BASE}/dashboard", headers=other_operator).json() == []
    assert len(world.client.get(f"{BASE}/dashboard", headers=world.operator).json()) == 1
    assert world.client.post(f"{BASE}/risk/scan", headers=world.operator).status_code == 403


def test_the_risk_scan_finds_signals_with_evidence_once_and_they_are_reviewed(world: World) -> None:
    first, second = _history(world)
    found = world.client.post(f"{BASE}/risk/scan", headers=world.admin).json()["new_signals"]
    # the test client is one IP with one browser for everybody: lot 1's two bidders share it
    assert found == {"related_bidders": 1, "shared_payer": 1, "single_at_reserve": 1, "shared_fingerprint": 1}
    assert world.client.post(f"{BASE}/risk/scan", headers=world.admin).json()["new_signals"] == {}
    runs = world.session.scalars(select(RiskScan).order_by(RiskScan.id)).all()
    assert runs[0].lots == 2
    assert runs[1].lots <= 1  # the rescan checks only the latest close
    queue = {s["kind"]: s for s in world.client.get(f"{BASE}/risk", headers=world.admin).json()}
    assert queue["related_bidders"]["listing_code"] == first
    assert "法定代表人相同" in queue["related_bidders"]["evidence"][0]
    assert "常州某某贸易有限公司" in queue["shared_payer"]["evidence"][0]
    assert queue["single_at_reserve"]["listing_code"] == second
    sid = queue["single_at_reserve"]["id"]
    r = world.client.post(
        f"{BASE}/risk/{sid}/review", json={"confirm": False, "note": "系正常拍卖"}, headers=world.admin
    )
    assert r.json()["status"] == "dismissed"
    again = world.client.post(f"{BASE}/risk/{sid}/review", json={"confirm": True}, headers=world.admin)
    assert again.json()["code"] == "exchange.monitoring.already_reviewed"


def test_the_supervisor_report_of_a_trade(world: World) -> None:
    first, _ = _history(world)
    supervisor = bearer(world.session, make_user(world.session, username="jianguan", role=Role.auditor))
    world.session.commit()
    world.client.post(f"{BASE}/risk/scan", headers=supervisor)
    rep = world.client.get(f"{BASE}/trades/{first}/report", headers=supervisor).json()
    assert rep["schema"] == "exchange-trade/1"
    assert rep["trade_code"].startswith("LC")
    uscc = rep["institution"]["uscc"]
    assert rep["trade_code"][:-1] == f"LC{uscc[8:17]}{first}"
    assert rep["trade_code"] == report.trade_code(uscc, first)
    assert (rep["outcome"]["result"], rep["outcome"]["price_fen"], rep["outcome"]["premium_pct"]) == (
        "sold",
        10300000,
        3.0,
    )
    assert rep["listing"]["rules_version"] == "2026.1"
    assert rep["outcome"]["fees"]["commission_fen"] == 10300000 * 15 // 1000
    assert rep["outcome"]["fees"]["buyer_institution_fen"] == 0  # no member brought the buyer
    assert {"kind": "related_bidders", "status": "open"} in rep["risk_signals"]
    assert world.client.get(f"{BASE}/trades/{first}/report", headers=world.operator).status_code == 403


def test_competing_bidders_on_one_device_are_a_signal_with_evidence(world: World) -> None:
    a, b, c = world.bidders
    for who in (a, b, c):
        world.fund(who, "150000")
    code = world.published()
    for who in (a, b, c):
        world.qualified(code, who)
    lot_id = world.go_live(code)
    env = {0: ("Mozilla/5.0 A", "dev-7f3a"), 1: ("Mozilla/5.0 B", "dev-7f3a"), 2: ("Mozilla/5.0 C", "")}
    for n, (who, amount) in enumerate([(0, "100000"), (1, "101000"), (2, "102000")]):
        ua, device = env[who]
        headers = {**world.bidders[who].headers, "User-Agent": ua, "X-Device-Id": device}
        r = world.client.post(
            f"/api/v1/exchange/lots/{lot_id}/bids",
            json={"amount": amount, "idempotency_key": f"fp-{n}"},
            headers=headers,
        )
        assert r.status_code == 201, r.text
    world.end(lot_id)
    assert bidding.close_due(world.session, actor=SYSTEM, lot_id=lot_id)
    world.session.commit()
    world.client.post(f"{BASE}/risk/scan", headers=world.admin)
    queue = [
        s
        for s in world.client.get(f"{BASE}/risk", headers=world.admin).json()
        if s["kind"] == "shared_fingerprint"
    ]
    device = next(s for s in queue if "设备" in s["summary"])
    assert device["listing_code"] == code
    assert "2 名竞买人使用同一设备环境" in device["summary"]
    assert sorted(e.split("：")[0] for e in device["evidence"]) == sorted([a.name, b.name])
    assert "dev-7f3a" in device["evidence"][0]


def test_a_winning_bid_in_the_last_seconds_is_a_signal_on_both_databases(world: World) -> None:
    """The countdown's end is computed in SQL (each database its own date arithmetic): a winning
    bid 1.5 s before the end the previous bid set is flagged, one 30 s before is not."""
    first, second = _history(world)
    for code, gap in ((first, 1.5), (second, 30.0)):
        listing = world.session.scalar(select(Listing).where(Listing.code == code))
        assert listing is not None
        lot = world.session.scalar(select(Lot).where(Lot.listing_id == listing.id))
        assert lot is not None
        countdown = int(listing.rules.get("countdown_seconds", 180))
        bids = world.session.scalars(select(LotBid).where(LotBid.lot_id == lot.id).order_by(LotBid.seq)).all()
        start = lot.free_ends_at
        for bid in bids[:-1]:
            bid.at = start + timedelta(seconds=5)
        bids[-1].at = (
            start + timedelta(seconds=5 + countdown - gap)
            if len(bids) > 1
            else start - timedelta(seconds=gap)
        )
    world.session.commit()
    world.client.post(f"{BASE}/risk/scan", headers=world.admin)
    queue = world.client.get(f"{BASE}/risk", headers=world.admin).json()
    late = [s for s in queue if s["kind"] == "last_second"]
    assert [s["listing_code"] for s in late] == [first]
    assert "截止前 1.5 秒" in late[0]["summary"]


def test_the_review_queue_page_filters_exports_and_records_a_decision(world: World) -> None:
    """The secretariat filters the queue by kind, exports it, and dismisses a signal with a note
    from the page; the page then says so and the signal leaves the open queue."""
    _history(world)
    world.client.post(f"{BASE}/risk/scan", headers=world.admin)
    csrf = login(world.client, "ex_admin")
    page = world.client.get("/exchange/monitoring/risk?kind=shared_payer")
    assert page.status_code == 200
    assert "多名竞买人保证金来自同一第三方账户" in page.text
    assert "单一竞买人以底价成交</td>" not in page.text
    assert "共 1 条" in page.text
    sheet = world.client.get("/exchange/monitoring/risk/export.xlsx?status=open")
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "类型", "项目编号")
    assert len(rows) == 5  # the header and the four open signals
    sid = next(s["id"] for s in world.client.get(f"{BASE}/risk", headers=world.admin).json())
    done = world.client.post(
        f"/exchange/monitoring/risk/{sid}/review",
        data={"decision": "dismiss", "note": "经核实为正常代付", "csrf_token": csrf},
    )
    assert done.status_code == 200
    assert "已排除该风险信号" in done.text
    left = world.client.get(f"{BASE}/risk", headers=world.admin).json()
    assert sid not in [s["id"] for s in left]
    closed = world.client.get("/exchange/monitoring/risk?status=dismissed").text
    assert "经核实为正常代付" in closed
