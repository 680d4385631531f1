"""The risk scan: each signal with its evidence, stored once per (kind, subject) for review.

Signals: bidders on one lot who are related in the registry (shared legal representative or
shareholder, holdings); a lot sold to its only bidder at the start price; a winning bid in the
last seconds of the countdown; one bidder winning repeatedly from one seller; deposits of
bidders on one lot paid from the same third-party account; competing bidders on one lot whose
registrations or bids came from one device or one IP with the same browser (fingerprint).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Fingerprint, Lot, LotBid
from longcheng.exchange.ledger.models import BankLine
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder
from longcheng.exchange.monitoring import permissions as perm
from longcheng.exchange.monitoring.models import RiskScan, RiskSignal
from longcheng.registry import service as registry_service

KINDS = {
    "related_bidders": "同一标的竞买人存在关联关系",
    "single_at_reserve": "单一竞买人以底价成交",
    "last_second": "最后时刻出价成交",
    "repeat_winner": "同一转让方项目反复由同一竞买人受让",
    "shared_payer": "多名竞买人保证金来自同一第三方账户",
    "shared_fingerprint": "同一标的多名竞买人使用同一设备或网络环境",
}
LAST_SECONDS = 2
REPEAT_MIN = 3


@dataclass
class Found:
    kind: str
    subject: str
    listing: Listing | None
    summary: str
    evidence: list[str] = field(default_factory=list)


def _regs(session: Session, lot_ids: Any) -> dict[int, list[tuple[Registration, Bidder]]]:
    out: dict[int, list[tuple[Registration, Bidder]]] = defaultdict(list)
    stmt = (
        select(Registration, Bidder)
        .join(Bidder, Bidder.id == Registration.bidder_id)
        .where(
            Registration.status == "qualified",
            Registration.listing_id.in_(select(Lot.listing_id).where(Lot.id.in_(lot_ids))),
        )
    )
    for reg, bidder in session.execute(stmt).all():
        out[reg.listing_id].append((reg, bidder))
    return out


def _related(
    session: Session, actor: Actor, listings: dict[int, Listing], regs: dict[int, list[Any]]
) -> Iterator[Found]:
    usccs = {b.uscc for rows in regs.values() for _r, b in rows if b.uscc}
    people = registry_service.people_many(session, actor=actor, usccs=usccs)
    for listing_id, rows in regs.items():
        orgs = sorted((b for _r, b in rows if b.uscc), key=lambda b: b.id)
        for a, b in combinations(orgs, 2):
            rel = registry_service.relations_between(
                a.uscc or "", b.uscc or "", people.get(a.uscc or "", []), people.get(b.uscc or "", [])
            )
            if rel and listing_id in listings:
                yield Found(
                    "related_bidders",
                    f"{listings[listing_id].code}:{a.id}:{b.id}",
                    listings[listing_id],
                    f"{a.name} 与 {b.name} 同时竞买且存在关联",
                    [f"{r.label_zh}：{r.evidence_zh}" for r in rel],
                )


def _single(listings: dict[int, Listing], lots: list[Lot], regs: dict[int, list[Any]]) -> Iterator[Found]:
    for lot in lots:
        listing = listings[lot.listing_id]
        floor = listing.reserve_fen or listing.start_fen
        if lot.result == "sold" and len(regs.get(lot.listing_id, [])) == 1 and lot.price_fen == floor:
            name = regs[lot.listing_id][0][1].name
            yield Found(
                "single_at_reserve",
                listing.code,
                listing,
                f"仅 {name} 一人竞买，以底价成交",
                [f"合格竞买人 1 名；成交价 {(lot.price_fen or 0) / 100:.2f} 元 = 底价"],
            )


def _last_two_bids(session: Session, lot_ids: Any) -> dict[int, list[LotBid]]:
    """The last two bids of every scanned lot, in one windowed query (newest first)."""
    rank = func.row_number().over(partition_by=LotBid.lot_id, order_by=LotBid.seq.desc()).label("rank")
    inner = select(LotBid.id, rank).where(LotBid.lot_id.in_(lot_ids)).subquery()
    stmt = (
        select(LotBid)
        .join(inner, inner.c.id == LotBid.id)
        .where(inner.c.rank <= 2)
        .order_by(LotBid.seq.desc())
    )
    out: dict[int, list[LotBid]] = defaultdict(list)
    for bid in session.scalars(stmt):
        out[bid.lot_id].append(bid)
    return out


def _last_second(
    session: Session, listings: dict[int, Listing], lots: list[Lot], lot_ids: Any
) -> Iterator[Found]:
    last = _last_two_bids(session, lot_ids)
    for lot in lots:
        bids = last.get(lot.id, [])
        if lot.result != "sold" or not bids:
            continue
        listing = listings[lot.listing_id]
        countdown = timedelta(seconds=int(listing.rules.get("countdown_seconds", 180)))
        stood = max(lot.free_ends_at, bids[1].at + countdown) if len(bids) > 1 else lot.free_ends_at
        left = (stood - bids[0].at).total_seconds()
        if 0 <= left < LAST_SECONDS:
            yield Found(
                "last_second",
                listing.code,
                listing,
                f"成交报价在截止前 {left:.1f} 秒提交",
                [
                    f"竞买号 {bids[0].bidder_no} 于截止前 {left:.1f} 秒"
                    f"报价 {bids[0].amount_fen / 100:.2f} 元并成交"
                ],
            )


def _repeat(session: Session, listings: dict[int, Listing], everything: bool) -> Iterator[Found]:
    """Sellers and winners of the scanned lots who met three or more times over all closed lots:
    counted by GROUP BY in SQL, the listings fetched only for the pairs found."""
    winners = select(Registration.id, Registration.bidder_id).subquery()
    sold = (
        select(Listing.seller_name, winners.c.bidder_id, Listing.id)
        .join(Lot, Lot.listing_id == Listing.id)
        .join(winners, winners.c.id == Lot.leader_reg_id)
        .where(Lot.result == "sold")
        .subquery()
    )
    counts = select(sold.c.seller_name, sold.c.bidder_id).group_by(sold.c.seller_name, sold.c.bidder_id)
    if not everything:
        counts = counts.where(sold.c.seller_name.in_({x.seller_name for x in listings.values()}))
    pairs = {tuple(p) for p in session.execute(counts.having(func.count() >= REPEAT_MIN)).all()}
    if not pairs:
        return
    won: dict[tuple[str, int], list[Listing]] = defaultdict(list)
    sellers = sorted({p[0] for p in pairs})
    for start in range(0, len(sellers), 1000):
        stmt = (
            select(sold.c.seller_name, sold.c.bidder_id, Listing)
            .join(Listing, Listing.id == sold.c.id)
            .where(sold.c.seller_name.in_(sellers[start : start + 1000]))
            .order_by(Listing.id)
        )
        for seller, bidder_id, listing in session.execute(stmt).all():
            if (seller, bidder_id) in pairs:
                won[(seller, bidder_id)].append(listing)
    names = dict(
        session.execute(select(Bidder.id, Bidder.name).where(Bidder.id.in_({p[1] for p in pairs}))).all()
    )
    for (seller, bidder_id), rows in won.items():
        yield Found(
            "repeat_winner",
            f"{seller}:{bidder_id}",
            rows[-1],
            f"{names[bidder_id]} 受让 {seller} 的 {len(rows)} 个项目",
            [f"{x.code} {x.title}" for x in rows],
        )


def _payer(session: Session, listings: dict[int, Listing], regs: dict[int, list[Any]]) -> Iterator[Found]:
    payers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    ids = sorted({b.id for rows in regs.values() for _r, b in rows})
    lines: list[Any] = []
    for start in range(0, len(ids), 5000):
        lines += session.execute(
            select(BankLine.bidder_id, BankLine.payer_account, BankLine.payer_name).where(
                BankLine.bidder_id.in_(ids[start : start + 5000])
            )
        ).all()
    for bidder_id, account, payer in lines:
        payers[int(bidder_id or 0)].add((str(account), str(payer)))
    for listing_id, rows in regs.items():
        by_account: dict[str, list[str]] = defaultdict(list)
        for _reg, b in rows:
            for account, payer in payers.get(b.id, set()):
                if payer != b.name:
                    by_account[account].append(f"{b.name}（付款人 {payer}）")
        for account, who in by_account.items():
            if len(who) >= 2 and listing_id in listings:
                yield Found(
                    "shared_payer",
                    f"{listings[listing_id].code}:{account}",
                    listings[listing_id],
                    f"{len(who)} 名竞买人的保证金由同一账户 {account[-4:]} 支付",
                    who,
                )


def _shared_groups(session: Session, *keys: Any) -> list[tuple[Any, ...]]:
    """(listing, key…) groups used by two or more distinct bidders, found by GROUP BY in SQL."""
    stmt = (
        select(Fingerprint.listing_id, *keys)
        .where(*(k != "" for k in keys))
        .group_by(Fingerprint.listing_id, *keys)
        .having(func.count(func.distinct(Fingerprint.bidder_id)) >= 2)
    )
    return [tuple(r) for r in session.execute(stmt).all()]


def _fingerprint(session: Session, listings: dict[int, Listing]) -> Iterator[Found]:
    groups = [("设备", g) for g in _shared_groups(session, Fingerprint.device_id)]
    groups += [("网络", g) for g in _shared_groups(session, Fingerprint.ip, Fingerprint.ua_hash)]
    for label, (listing_id, *key) in groups:
        if listing_id not in listings:
            continue
        cond = (
            [Fingerprint.device_id == key[0]]
            if label == "设备"
            else [Fingerprint.ip == key[0], Fingerprint.ua_hash == key[1]]
        )
        who = session.execute(
            select(Bidder.id, Bidder.name, func.count(Fingerprint.id))
            .join(Fingerprint, Fingerprint.bidder_id == Bidder.id)
            .where(Fingerprint.listing_id == listing_id, *cond)
            .group_by(Bidder.id, Bidder.name)
            .order_by(Bidder.id)
        ).all()
        where = f"设备号 {key[0]}" if label == "设备" else f"IP {key[0]}，浏览器标识摘要 {key[1][:12]}"
        yield Found(
            "shared_fingerprint",
            f"{listings[listing_id].code}:{label}:{':'.join(key)}"[:200],
            listings[listing_id],
            f"{len(who)} 名竞买人使用同一{label}环境（{where}）",
            [f"{name}：{where}，报名或报价 {n} 次" for _id, name, n in who],
        )


def _since(session: Session, full: bool) -> datetime | None:
    if full:
        return None
    return session.scalar(select(RiskScan.watermark).order_by(RiskScan.id.desc()).limit(1))


def scan(session: Session, *, actor: Actor, full: bool = False) -> dict[str, int]:
    """Check the lots closed since the last scan's watermark (all of them the first time or with
    ``full``); new signals enter the queue and the run is recorded. Returns new ones by kind."""
    require(actor, perm.RISK_SCAN)
    since = _since(session, full)
    cond: list[ColumnElement[bool]] = [Lot.result.in_(("sold", "unsold"))]
    if since is not None:
        cond.append(Lot.closed_at >= since)
    lot_ids = select(Lot.id).where(*cond)
    lots = list(session.scalars(select(Lot).where(*cond)))
    listings = {
        x.id: x
        for x in session.scalars(select(Listing).where(Listing.id.in_(select(Lot.listing_id).where(*cond))))
    }
    regs = _regs(session, lot_ids)
    found = [
        *_related(session, actor, listings, regs),
        *_single(listings, lots, regs),
        *_last_second(session, listings, lots, lot_ids),
        *_repeat(session, listings, since is None),
        *_payer(session, listings, regs),
        *_fingerprint(session, listings),
    ]
    new = _store(session, found)
    closes = [x.closed_at for x in lots if x.closed_at is not None]
    session.add(
        RiskScan(
            since=since,
            watermark=max(closes) if closes else since,
            lots=len(lots),
            new_signals=sum(new.values()),
            actor=actor.label,
        )
    )
    session.flush()
    return new


def _store(session: Session, found: list[Found]) -> dict[str, int]:
    known = {(str(k), str(s)) for k, s in session.execute(select(RiskSignal.kind, RiskSignal.subject)).all()}
    new: dict[str, int] = defaultdict(int)
    for f in found:
        if (f.kind, f.subject) in known:
            continue
        known.add((f.kind, f.subject))
        session.add(
            RiskSignal(
                kind=f.kind,
                subject=f.subject[:200],
                summary=f.summary[:300],
                evidence=f.evidence,
                institution_id=f.listing.institution_id if f.listing else None,
                listing_code=f.listing.code if f.listing else "",
            )
        )
        new[f.kind] += 1
    return dict(new)


def queue(session: Session, *, actor: Actor, status: str = "open") -> list[RiskSignal]:
    require(actor, perm.RISK)
    stmt = select(RiskSignal).where(RiskSignal.status == status).order_by(RiskSignal.id)
    if actor.role is Role.operator:
        own = parties.institution_of(session, actor)
        stmt = stmt.where(RiskSignal.institution_id == (own.id if own else -1))
    return list(session.scalars(stmt))


def review(session: Session, *, actor: Actor, signal_id: int, confirm: bool, note: str) -> RiskSignal:
    """Confirm or dismiss a signal, with a note; audited."""
    require(actor, perm.RISK_REVIEW)
    row = session.get(RiskSignal, signal_id, with_for_update=True)
    if row is None:
        raise NotFound("未找到该风险信号。", code="exchange.monitoring.signal_not_found")
    if row.status != "open":
        raise Conflict("该风险信号已处理。", code="exchange.monitoring.already_reviewed")
    row.status, row.reviewed_by, row.review_note = (
        ("confirmed" if confirm else "dismissed"),
        actor.label,
        note,
    )
    audit.record(
        session,
        actor=actor,
        action="exchange.risk.review",
        entity_type="exchange.risk_signal",
        entity_id=row.id,
        after={"类型": KINDS[row.kind], "结论": "确认" if confirm else "排除", "意见": note},
    )
    return row
