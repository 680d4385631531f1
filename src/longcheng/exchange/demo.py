"""Demo data of the exchange: two institutions, bidders with money, listings in every class and
state, closed auctions with their bids, and a few lots live during the demo where bot bidders
bid at a human pace (the ``exchange.demo_bots`` job, which re-schedules itself).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import users
from longcheng.core.actors import Actor, Role
from longcheng.core.clock import utcnow
from longcheng.exchange import service as parties
from longcheng.exchange.bidding import placing
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.ledger import statements
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder
from longcheng.exchange.schemas import InstitutionIn, ListingIn
from longcheng.platform.schedules import service as schedules

CZ_USCC = "12320400MB1C077452"
SZ_USCC = "12320500MB1D23016L"
BOTS = 4
BOTS_KIND = "exchange.demo_bots"

SAMPLES: dict[str, list[dict[str, Any]]] = {
    "equity": [
        {
            "title": "常州某新材料有限公司51%股权",
            "appraisal": "36800000",
            "fields": {
                "target_name": "常州示例新材料有限公司",
                "share_pct": "51",
                "appraisal_filing_no": "常国资评备〔2026〕21号",
                "approval_no": "常国资复〔2026〕8号",
            },
        },
        {
            "title": "武进某智能装备有限公司20%股权",
            "appraisal": "8600000",
            "fields": {
                "target_name": "武进示例智能装备有限公司",
                "share_pct": "20",
                "appraisal_filing_no": "武国资评备〔2026〕5号",
            },
        },
    ],
    "debt": [
        {
            "title": "某商贸公司不良债权包",
            "appraisal": "5200000",
            "fields": {
                "debtor": "常州示例商贸有限公司",
                "principal_yuan": "7800000",
                "collateral": "厂房抵押",
            },
        }
    ],
    "realty": [
        {
            "title": "新北区太湖东路商铺一套",
            "appraisal": "3250000",
            "fields": {
                "address": "常州市新北区太湖东路9号1-102",
                "area_m2": "186.5",
                "use": "商业",
                "certificate_no": "苏(2024)常州市不动产权第0012345号",
            },
        },
        {
            "title": "钟楼区工业厂房及土地使用权",
            "appraisal": "12800000",
            "fields": {
                "address": "常州市钟楼区星港路66号",
                "area_m2": "8650",
                "use": "工业",
                "certificate_no": "苏(2023)常州市不动产权第0098765号",
            },
        },
    ],
    "vehicle": [
        {
            "title": "公务用车苏D5K218别克轿车",
            "appraisal": "68000",
            "fields": {"plate": "苏D5K218", "vin": "LSGGF53W8FH123456", "mileage_km": 126000},
        },
        {
            "title": "公务用车苏D3M906大众商务车",
            "appraisal": "112000",
            "fields": {"plate": "苏D3M906", "vin": "LSVNV4189H2345678", "mileage_km": 98000},
        },
    ],
    "equipment": [
        {
            "title": "退役数控加工设备一批",
            "appraisal": "1460000",
            "fields": {
                "items": [{"name": "数控车床", "quantity": 6}, {"name": "立式加工中心", "quantity": 2}],
                "location": "常州市天宁区青洋路",
            },
        }
    ],
}


def _body(asset_class: str, sample: dict[str, Any], inst: str, mode: str, target_uscc: str) -> ListingIn:
    appraisal = int(sample["appraisal"])
    fields = dict(sample["fields"])
    if asset_class == "equity":
        fields["target_uscc"] = target_uscc
    return ListingIn(
        asset_class=asset_class,
        mode=mode,
        title=sample["title"],
        region="常州市",
        seller_name="常州市某国有企业",
        appraisal=str(appraisal),
        start_price=str(appraisal),
        step=str(max(100, appraisal // 100)),
        fields=fields,
        institution_code=inst,
        description="演示数据，均为虚构。",
    )


def _bidders(
    session: Session, actor: Actor, orgs: list[tuple[str, str]], bidder_user_id: int | None
) -> list[tuple[Bidder, Actor]]:
    out = []
    for i, (uscc, _name) in enumerate(orgs[: BOTS + 1]):
        user = users.create(
            session,
            actor=actor,
            username=f"bot{i}" if i else "bidder_demo_org",
            password=f"demo-bot-{i}-x{uscc}",
            role=Role.bidder,
            display_name=f"竞买机器人{i}",
        )
        uid = bidder_user_id if i == 0 and bidder_user_id else user.id
        bidder = parties.enrol_org_bidder(session, actor=actor, uscc=uscc, user_id=uid)
        out.append((bidder, Actor(id=uid, username=f"bot{i}", role=Role.bidder)))
        statements.book_line(
            session,
            actor=actor,
            line=statements.Line(
                f"DEMO{i:04d}",
                bidder.virtual_account,
                bidder.name,
                f"62220000{i:08d}",
                500_000_000_00,
                utcnow(),
            ),
        )
    return out


def _published(session: Session, actor: Actor, body: ListingIn) -> Listing:
    listing = listings.create(session, actor=actor, data=body)
    listings.submit(session, actor=actor, code=listing.code)
    listings.approve(session, actor=actor, code=listing.code)
    return listing


def _register_all(
    session: Session, actor: Actor, listing: Listing, bidders: list[tuple[Bidder, Actor]], n: int
) -> None:
    for _bidder, who in bidders[:n]:
        reg = registrations.register(session, actor=who, listing=listing, accept_conditions=True)
        registrations.review(session, actor=actor, reg_id=reg.id, approve=True)
        registrations.pay_deposit(session, actor=who, reg_id=reg.id)


def _move_lot(session: Session, listing: Listing, starts: datetime, free: int, countdown: int) -> Lot:
    lot = bidding.lot_of(session, listing)
    assert lot is not None
    listing.auction_start = lot.starts_at = starts
    lot.free_ends_at = starts + timedelta(seconds=free)
    lot.deadline = lot.free_ends_at + timedelta(seconds=countdown)
    session.flush()
    return lot


def _auction_in_past(
    session: Session,
    actor: Actor,
    listing: Listing,
    bidders: list[tuple[Bidder, Actor]],
    rng: random.Random,
    days_ago: int,
    rounds: int,
) -> None:
    _register_all(session, actor, listing, bidders, 3)
    start = utcnow() - timedelta(days=days_ago, hours=2)
    lot = _move_lot(session, listing, start, 600, 180)
    at, price, who = start + timedelta(seconds=30), None, 0
    for _ in range(min(rounds, 3) if listing.mode == "sealed" else rounds):
        amount = listing.start_fen if price is None else price + listing.step_fen * rng.randint(1, 3)
        placing.place_bid(
            session,
            actor=bidders[who][1],
            lot_id=lot.id,
            amount_fen=amount,
            idem_key=f"demo-{at.timestamp()}",
            now=at,
        )
        price, who, at = amount, (who + 1) % 3, at + timedelta(seconds=rng.randint(20, 150))
    bidding.close_due(session, actor=actor, lot_id=lot.id, now=lot.deadline + timedelta(seconds=1))


def _titled(sample: dict[str, Any], suffix: str) -> dict[str, Any]:
    return {**sample, "title": sample["title"] + suffix}


@dataclass
class _Ctx:
    session: Session
    actor: Actor
    bidders: list[tuple[Bidder, Actor]]
    rng: random.Random
    target: str


def _class_listings(c: _Ctx, asset_class: str, i: int, sample: dict[str, Any]) -> None:
    """Four listings of one sample: a draft, one sold in the past, one 流拍, one open now."""
    s, actor = c.session, c.actor
    inst = "SZ" if asset_class == "debt" else "CZ"
    draft = listings.create(
        s, actor=actor, data=_body(asset_class, _titled(sample, "（草稿）"), inst, "timed", c.target)
    )
    if i == 0:
        listings.submit(s, actor=actor, code=draft.code)
    mode = "sealed" if asset_class == "debt" else "timed"
    sold = _published(s, actor, _body(asset_class, sample, inst, mode, c.target))
    days = 10 + 20 * i + len(asset_class)
    _auction_in_past(s, actor, sold, c.bidders, c.rng, days_ago=days, rounds=c.rng.randint(3, 9))
    unsold = _published(s, actor, _body(asset_class, _titled(sample, "（二）"), inst, "timed", c.target))
    _register_all(s, actor, unsold, c.bidders, 1)
    lot = _move_lot(s, unsold, utcnow() - timedelta(days=3), 600, 180)
    bidding.close_due(s, actor=actor, lot_id=lot.id)
    open_one = _published(s, actor, _body(asset_class, _titled(sample, "（三）"), inst, "timed", c.target))
    if i == 0 and asset_class in ("vehicle", "realty", "equipment"):
        _register_all(s, actor, open_one, c.bidders, BOTS + 1)
        _move_lot(s, open_one, utcnow() - timedelta(minutes=1), 20 * 60, 180)
    elif i == 0 and asset_class == "equity":
        listings.suspend(s, actor=actor, code=open_one.code, reason="转让方申请，待补充批准文件")
    elif i == 0:
        listings.terminate(s, actor=actor, code=open_one.code, reason="标的权属存在争议")


def seed(
    session: Session, *, actor: Actor, orgs: list[tuple[str, str]], bidder_user_id: int | None = None
) -> int:
    """Create the demo exchange; returns the number of listings."""
    for code, name, uscc, region in (
        ("CZ", "常州产权交易所", CZ_USCC, "常州市"),
        ("SZ", "苏州产权交易中心（联盟成员）", SZ_USCC, "苏州市"),
    ):
        data = InstitutionIn(code=code, name=name, uscc=uscc, region=region)
        parties.create_institution(session, actor=actor, data=data)
    ctx = _Ctx(
        session, actor, _bidders(session, actor, orgs, bidder_user_id), random.Random(2026), orgs[-1][0]
    )
    count = 0
    for asset_class, samples in SAMPLES.items():
        for i, sample in enumerate(samples):
            _class_listings(ctx, asset_class, i, sample)
            count += 4
    at = utcnow() + timedelta(seconds=20)
    schedules.schedule_at(
        session, actor=actor, kind=BOTS_KIND, params={}, run_at=at, key=f"bots:{at.isoformat()}"
    )
    return count


def bot_round(session: Session, *, actor: Actor, now: datetime | None = None) -> int:
    """One bot bid on each live demo lot (a non-leading bot raises one or two steps, up to +30 %);
    returns how many lots are still live, and schedules the next round 15–45 s later if any are."""
    rng = random.Random()
    live = 0
    for lot, listing in bidding.live_lots(session, actor=actor):
        regs = list(
            session.scalars(
                select(Registration).where(
                    Registration.listing_id == listing.id, Registration.deposit == "frozen"
                )
            )
        )
        bots = [r for r in regs if r.bidder_no != lot.leader_no]
        if not bots or (lot.price_fen or 0) > listing.start_fen * 13 // 10:
            continue
        live += 1
        reg = rng.choice(bots)
        bidder = session.get(Bidder, reg.bidder_id)
        if bidder is None or bidder.user_id is None:
            continue
        amount = (
            listing.start_fen
            if lot.price_fen is None
            else lot.price_fen + listing.step_fen * rng.randint(1, 2)
        )
        try:
            placing.place_bid(
                session,
                actor=Actor(id=bidder.user_id, username="bot", role=Role.bidder),
                lot_id=lot.id,
                amount_fen=amount,
                idem_key=f"bot-{utcnow().timestamp()}",
                now=now,
            )
        except bidding.BidRefused:
            continue
    if live:
        at = utcnow() + timedelta(seconds=rng.randint(15, 45))
        schedules.schedule_at(
            session, actor=actor, kind=BOTS_KIND, params={}, run_at=at, key=f"bots:{at.isoformat()}"
        )
    return live
