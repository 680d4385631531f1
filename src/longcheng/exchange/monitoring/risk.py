"""The risk scan: each signal with its evidence, stored once per (kind, subject) for review.

Signals: bidders on one lot who are related in the registry (shared legal representative or
shareholder, holdings); a lot sold to its only bidder at the start price; a winning bid in the
last seconds of the countdown; one bidder winning repeatedly from one seller; deposits of
bidders on one lot paid from the same third-party account. (Device/IP fingerprints are not
recorded by the bidding room, so that signal is not scanned.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import combinations
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.ledger.models import BankLine
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder
from longcheng.exchange.monitoring import permissions as perm
from longcheng.exchange.monitoring.models import RiskSignal
from longcheng.registry import service as registry_service

KINDS = {
    "related_bidders": "同一标的竞买人存在关联关系",
    "single_at_reserve": "单一竞买人以底价成交",
    "last_second": "最后时刻出价成交",
    "repeat_winner": "同一转让方项目反复由同一竞买人受让",
    "shared_payer": "多名竞买人保证金来自同一第三方账户",
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


def _regs(session: Session) -> dict[int, list[tuple[Registration, Bidder]]]:
    out: dict[int, list[tuple[Registration, Bidder]]] = defaultdict(list)
    stmt = (
        select(Registration, Bidder)
        .join(Bidder, Bidder.id == Registration.bidder_id)
        .where(Registration.status == "qualified")
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


def _last_two_bids(session: Session) -> dict[int, list[LotBid]]:
    """The last two bids of every lot, in one windowed query (newest first)."""
    rank = func.row_number().over(partition_by=LotBid.lot_id, order_by=LotBid.seq.desc()).label("rank")
    inner = select(LotBid.id, rank).subquery()
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


def _last_second(session: Session, listings: dict[int, Listing], lots: list[Lot]) -> Iterator[Found]:
    last = _last_two_bids(session)
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


def _repeat(session: Session, listings: dict[int, Listing], lots: list[Lot]) -> Iterator[Found]:
    winners = dict(session.execute(select(Registration.id, Registration.bidder_id)).all())
    wins: dict[tuple[str, int], list[Listing]] = defaultdict(list)
    for lot in lots:
        if lot.result == "sold" and lot.leader_reg_id in winners:
            listing = listings[lot.listing_id]
            wins[(listing.seller_name, winners[lot.leader_reg_id])].append(listing)
    names = dict(session.execute(select(Bidder.id, Bidder.name)).all())
    for (seller, bidder_id), won in wins.items():
        if len(won) >= REPEAT_MIN:
            yield Found(
                "repeat_winner",
                f"{seller}:{bidder_id}",
                won[-1],
                f"{names[bidder_id]} 受让 {seller} 的 {len(won)} 个项目",
                [f"{x.code} {x.title}" for x in won],
            )


def _payer(session: Session, listings: dict[int, Listing], regs: dict[int, list[Any]]) -> Iterator[Found]:
    payers: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for bidder_id, account, payer in session.execute(
        select(BankLine.bidder_id, BankLine.payer_account, BankLine.payer_name).where(
            BankLine.bidder_id.is_not(None)
        )
    ).all():
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


def scan(session: Session, *, actor: Actor) -> dict[str, int]:
    """Run every check over the closed lots; new signals enter the queue. Returns new ones by kind."""
    require(actor, perm.RISK_SCAN)
    lots = list(session.scalars(select(Lot).where(Lot.result.in_(("sold", "unsold")))))
    listings = {
        x.id: x for x in session.scalars(select(Listing).where(Listing.id.in_(select(Lot.listing_id))))
    }
    regs = {k: v for k, v in _regs(session).items() if k in listings}
    known = {(str(k), str(s)) for k, s in session.execute(select(RiskSignal.kind, RiskSignal.subject)).all()}
    found = [
        *_related(session, actor, listings, regs),
        *_single(listings, lots, regs),
        *_last_second(session, listings, lots),
        *_repeat(session, listings, lots),
        *_payer(session, listings, regs),
    ]
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
    session.flush()
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
