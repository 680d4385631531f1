"""The risk checks, each one or two set-based queries over the scanned lots.

Every check takes ``scanned`` — a subquery of ``(lot_id, listing_id)`` of the closed lots to
check — and returns :class:`Found` rows with their evidence. The database does the grouping and
joining (the scan of a million trades must not load them); Python only words the evidence of the
rows found. Registry relations are found as candidate pairs in SQL (shared keys from
``registry.service.relation_keys``) and confirmed with ``relations_between``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from longcheng.core.actors import Actor
from longcheng.exchange.bidding.models import Fingerprint, Lot, LotBid
from longcheng.exchange.ledger.models import BankLine
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder
from longcheng.registry import service as registry_service

LAST_SECONDS = 2
REPEAT_MIN = 3
QUALIFIED = "qualified"


@dataclass
class Found:
    kind: str
    subject: str
    institution_id: int | None
    listing_code: str
    summary: str
    evidence: list[str] = field(default_factory=list)


def _listings(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """(code, institution) of the listings that signals name, fetched in chunks."""
    wanted, out = sorted(set(ids)), {}
    for i in range(0, len(wanted), 5000):
        stmt = select(Listing.id, Listing.code, Listing.institution_id).where(
            Listing.id.in_(wanted[i : i + 5000])
        )
        out.update({lid: (code, inst) for lid, code, inst in session.execute(stmt).all()})
    return out


def _two_or_more(column: Any) -> ColumnElement[bool]:
    """Two or more distinct values in the group: ``min <> max`` aggregates by hashing, where
    ``count(DISTINCT …) >= 2`` makes PostgreSQL sort every group."""
    return func.min(column) != func.max(column)


def _found(kind: str, subject: str, where: tuple[str, int], summary: str, evidence: list[str]) -> Found:
    code, institution = where
    return Found(kind, f"{code}:{subject}" if subject else code, institution, code, summary, evidence)


def _related_bidders() -> Subquery:
    """Pairs of bidding firms (lower id first) that share a registry key: a few among thousands."""
    keys = registry_service.relation_keys().subquery()
    b1, b2 = aliased(Bidder), aliased(Bidder)
    k1, k2 = keys.alias("k1"), keys.alias("k2")
    return (
        select(b1.id.label("a"), b2.id.label("b"))
        .distinct()
        .select_from(b1)
        .join(k1, k1.c.uscc == b1.uscc)
        .join(k2, k2.c.key == k1.c.key)
        .join(b2, and_(b2.uscc == k2.c.uscc, b2.id > b1.id))
        .subquery()
    )


def related(session: Session, actor: Actor, scanned: Subquery) -> list[Found]:
    """Qualified bidders on one lot whose firms share a person or a holding in the registry: the
    candidate firm pairs first (few), then the scanned lots where both registered."""
    pairs_of = _related_bidders()
    r1, r2 = aliased(Registration), aliased(Registration)
    b1, b2 = aliased(Bidder), aliased(Bidder)
    stmt = (
        select(r1.listing_id, b1.id, b1.uscc, b1.name, b2.id, b2.uscc, b2.name)
        .select_from(pairs_of)
        .join(r1, r1.bidder_id == pairs_of.c.a)
        .join(r2, and_(r2.listing_id == r1.listing_id, r2.bidder_id == pairs_of.c.b))
        .join(b1, b1.id == pairs_of.c.a)
        .join(b2, b2.id == pairs_of.c.b)
        .where(
            r1.status == QUALIFIED,
            r2.status == QUALIFIED,
            r1.listing_id.in_(select(scanned.c.listing_id)),
        )
        .distinct()
    )
    pairs = session.execute(stmt).all()
    people = registry_service.people_many(
        session, actor=actor, usccs={u for p in pairs for u in (p[2], p[5]) if u}
    )
    where = _listings(session, (p[0] for p in pairs))
    out = []
    for listing_id, id_a, uscc_a, name_a, id_b, uscc_b, name_b in sorted(pairs):
        a, b = str(uscc_a), str(uscc_b)
        rel = registry_service.relations_between(a, b, people.get(a, []), people.get(b, []))
        if rel:
            summary = f"{name_a} 与 {name_b} 同时竞买且存在关联"
            evidence = [f"{r.label_zh}：{r.evidence_zh}" for r in rel]
            out.append(_found("related_bidders", f"{id_a}:{id_b}", where[listing_id], summary, evidence))
    return out


def single_at_reserve(session: Session, scanned: Subquery) -> list[Found]:
    """Lots sold at the floor (reserve, or start without one) to their only qualified bidder: the
    lots sold at the floor first, then their registrations counted."""
    floor = func.coalesce(func.nullif(Listing.reserve_fen, 0), Listing.start_fen)
    at_floor = (
        select(Listing.id, Listing.code, Listing.institution_id, Lot.price_fen)
        .select_from(scanned)
        .join(Lot, Lot.id == scanned.c.lot_id)
        .join(Listing, Listing.id == scanned.c.listing_id)
        .where(Lot.result == "sold", Lot.price_fen == floor)
        .subquery()
    )
    stmt = (
        select(at_floor.c.code, at_floor.c.institution_id, at_floor.c.price_fen, func.min(Bidder.name))
        .join(Registration, Registration.listing_id == at_floor.c.id)
        .join(Bidder, Bidder.id == Registration.bidder_id)
        .where(Registration.status == QUALIFIED)
        .group_by(at_floor.c.id, at_floor.c.code, at_floor.c.institution_id, at_floor.c.price_fen)
        .having(func.count() == 1)
    )
    return [
        _found(
            "single_at_reserve",
            "",
            (code, inst),
            f"仅 {name} 一人竞买，以底价成交",
            [f"合格竞买人 1 名；成交价 {(price or 0) / 100:.2f} 元 = 底价"],
        )
        for code, inst, price, name in session.execute(stmt).all()
    ]


def _seconds_left(dialect: str, free_end: Any, prev_at: Any, last_at: Any, countdown: Any) -> Any:
    """SQL for how long before the countdown's end the last bid came: the end stood at the later of
    the free period's end and the previous bid + countdown."""
    if dialect == "sqlite":
        jd = func.julianday
        then = func.coalesce(jd(prev_at) + countdown / 86400.0, jd(free_end))
        return (func.max(jd(free_end), then) - jd(last_at)) * 86400.0
    stood = func.greatest(free_end, prev_at + func.make_interval(0, 0, 0, 0, 0, 0, countdown))
    return func.extract("epoch", stood - last_at)


def last_second(session: Session, scanned: Subquery) -> list[Found]:
    """Sold lots whose winning bid came less than ``LAST_SECONDS`` before the countdown would
    have ended, computed in SQL: the last bid is ``seq = lot.seq``, the one before ``seq - 1``
    (seqs are gapless)."""
    two = (
        select(
            LotBid.lot_id,
            func.max(case((LotBid.seq == Lot.seq, LotBid.at))).label("last_at"),
            func.max(case((LotBid.seq == Lot.seq - 1, LotBid.at))).label("prev_at"),
            func.max(case((LotBid.seq == Lot.seq, LotBid.id))).label("last_id"),
        )
        .select_from(scanned)
        .join(Lot, Lot.id == scanned.c.lot_id)
        .join(LotBid, and_(LotBid.lot_id == Lot.id, LotBid.seq >= Lot.seq - 1))
        .where(Lot.result == "sold", Lot.seq > 0)
        .group_by(LotBid.lot_id)
        .subquery()
    )
    countdown = func.coalesce(Listing.rules["countdown_seconds"].as_integer(), 180)
    dialect = session.get_bind().dialect.name
    left = _seconds_left(dialect, Lot.free_ends_at, two.c.prev_at, two.c.last_at, countdown).label("left")
    stmt = (
        select(Listing.code, Listing.institution_id, left, LotBid.bidder_no, LotBid.amount_fen)
        .select_from(two)
        .join(Lot, Lot.id == two.c.lot_id)
        .join(Listing, Listing.id == Lot.listing_id)
        .join(LotBid, LotBid.id == two.c.last_id)
        .where(left >= 0, left < LAST_SECONDS)
    )
    return [
        _found(
            "last_second",
            "",
            (code, inst),
            f"成交报价在截止前 {float(secs):.1f} 秒提交",
            [f"竞买号 {number} 于截止前 {float(secs):.1f} 秒报价 {amount / 100:.2f} 元并成交"],
        )
        for code, inst, secs, number, amount in session.execute(stmt).all()
    ]


def repeat_winner(session: Session, scanned: Subquery, everything: bool) -> list[Found]:
    """Sellers and winners of the scanned lots who met ``REPEAT_MIN`` or more times over all
    closed lots, counted by GROUP BY; the listings fetched only for the pairs found."""
    winner = aliased(Registration)
    sold = (
        select(Listing.seller_name, winner.bidder_id, Listing.id.label("listing_id"))
        .join(Lot, Lot.listing_id == Listing.id)
        .join(winner, winner.id == Lot.leader_reg_id)
        .where(Lot.result == "sold")
        .subquery()
    )
    counts = select(sold.c.seller_name, sold.c.bidder_id).group_by(sold.c.seller_name, sold.c.bidder_id)
    if not everything:
        recent = select(Listing.seller_name).where(Listing.id.in_(select(scanned.c.listing_id)))
        counts = counts.where(sold.c.seller_name.in_(recent))
    pairs = counts.having(func.count() >= REPEAT_MIN).subquery()
    stmt = (
        select(
            sold.c.seller_name,
            sold.c.bidder_id,
            Bidder.name,
            Listing.code,
            Listing.title,
            Listing.institution_id,
        )
        .join(pairs, and_(pairs.c.seller_name == sold.c.seller_name, pairs.c.bidder_id == sold.c.bidder_id))
        .join(Listing, Listing.id == sold.c.listing_id)
        .join(Bidder, Bidder.id == sold.c.bidder_id)
        .order_by(sold.c.seller_name, sold.c.bidder_id, Listing.id)
    )
    won: dict[tuple[str, int, str], list[tuple[str, str, int]]] = defaultdict(list)
    for seller, bidder_id, name, code, title, inst in session.execute(stmt).all():
        won[(seller, bidder_id, name)].append((code, title, inst))
    return [
        Found(
            "repeat_winner",
            f"{seller}:{bidder_id}",
            rows[-1][2],
            rows[-1][0],
            f"{name} 受让 {seller} 的 {len(rows)} 个项目",
            [f"{code} {title}" for code, title, _inst in rows],
        )
        for (seller, bidder_id, name), rows in won.items()
    ]


def shared_payer(session: Session, scanned: Subquery) -> list[Found]:
    """Deposits of two or more qualified bidders on one lot paid from one third-party account:
    the accounts that paid for two or more bidders first, then the lots where they met."""
    third = (
        select(BankLine.bidder_id, BankLine.payer_account, BankLine.payer_name, Bidder.name)
        .join(Bidder, Bidder.id == BankLine.bidder_id)
        .where(BankLine.payer_name != Bidder.name)
        .subquery()
    )
    shared = (
        select(third.c.payer_account).group_by(third.c.payer_account).having(_two_or_more(third.c.bidder_id))
    )
    paid = (
        select(
            Registration.listing_id,
            third.c.payer_account,
            third.c.bidder_id.label("id"),
            third.c.name,
            third.c.payer_name,
        )
        .join(third, third.c.bidder_id == Registration.bidder_id)
        .where(
            Registration.status == QUALIFIED,
            Registration.listing_id.in_(select(scanned.c.listing_id)),
            third.c.payer_account.in_(shared),
        )
        .cte("paid")  # read twice: PostgreSQL computes a CTE used twice once
    )
    groups = (
        select(paid.c.listing_id, paid.c.payer_account)
        .group_by(paid.c.listing_id, paid.c.payer_account)
        .having(_two_or_more(paid.c.id))
        .subquery()
    )
    stmt = (
        select(paid.c.listing_id, paid.c.payer_account, paid.c.name, paid.c.payer_name)
        .distinct()
        .join(
            groups,
            and_(groups.c.listing_id == paid.c.listing_id, groups.c.payer_account == paid.c.payer_account),
        )
        .order_by(paid.c.listing_id, paid.c.payer_account, paid.c.name, paid.c.payer_name)
    )
    who: dict[tuple[int, str], list[str]] = defaultdict(list)
    for listing_id, account, name, payer in session.execute(stmt).all():
        who[(listing_id, str(account))].append(f"{name}（付款人 {payer}）")
    where = _listings(session, (k[0] for k in who))
    return [
        _found(
            "shared_payer",
            account,
            where[listing_id],
            f"{len(names)} 名竞买人的保证金由同一账户 {account[-4:]} 支付",
            names,
        )
        for (listing_id, account), names in who.items()
    ]


def shared_fingerprint(session: Session, scanned: Subquery) -> list[Found]:
    """Competing bidders on one lot seen on one device, or one IP with one browser."""
    out = _fingerprint_groups(session, scanned, "设备", Fingerprint.device_id)
    return out + _fingerprint_groups(session, scanned, "网络", Fingerprint.ip, Fingerprint.ua_hash)


def _fingerprint_groups(session: Session, scanned: Subquery, label: str, *keys: Any) -> list[Found]:
    mine = [Fingerprint.listing_id.in_(select(scanned.c.listing_id)), *(k != "" for k in keys)]
    groups = (
        select(Fingerprint.listing_id, *keys)
        .where(*mine)
        .group_by(Fingerprint.listing_id, *keys)
        .having(_two_or_more(Fingerprint.bidder_id))
        .subquery()
    )
    found = {tuple(g) for g in session.execute(select(groups)).all()}
    rows: dict[tuple[Any, ...], list[tuple[str, int]]] = defaultdict(list)
    lots = sorted({g[0] for g in found})
    for i in range(0, len(lots), 2000):  # the few lots found, by index, not the whole table again
        stmt = (
            select(Fingerprint.listing_id, *keys, Bidder.name, func.count(Fingerprint.id))
            .join(Bidder, Bidder.id == Fingerprint.bidder_id)
            .where(Fingerprint.listing_id.in_(lots[i : i + 2000]))
            .group_by(Fingerprint.listing_id, *keys, Bidder.id, Bidder.name)
            .order_by(Fingerprint.listing_id, *keys, Bidder.id)
        )
        for listing_id, *rest in session.execute(stmt).all():
            *key, name, n = rest
            if (listing_id, *key) in found:
                rows[(listing_id, *key)].append((str(name), int(n)))
    where = _listings(session, (k[0] for k in rows))
    out = []
    for (listing_id, *key), who in rows.items():
        place = f"设备号 {key[0]}" if label == "设备" else f"IP {key[0]}，浏览器标识摘要 {key[1][:12]}"
        subject = f"{label}:{':'.join(key)}"
        summary = f"{len(who)} 名竞买人使用同一{label}环境（{place}）"
        evidence = [f"{name}：{place}，报名或报价 {n} 次" for name, n in who]
        out.append(_found("shared_fingerprint", subject, where[listing_id], summary, evidence))
    return out
