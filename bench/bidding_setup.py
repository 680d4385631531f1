"""The live-bidding bench's database: a fresh SQLite file or PostgreSQL database, one lot with
its qualified bidders, and the checks of what the bidding left behind (used by the exchange benches)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.auth import hash_password
from longcheng.core.clock import utcnow
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.ids import make_uscc
from longcheng.core.migrate import upgrade
from longcheng.exchange import service as parties
from longcheng.exchange.auditfile import chain
from longcheng.exchange.bidding.models import Lot, LotBid
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.schemas import InstitutionIn, ListingIn
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgCreate

START_YUAN, STEP_YUAN = 100_000, 100


def fresh_url(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'bench.sqlite3'}"
    from sqlalchemy import create_engine, text

    name = f"longcheng_bench_bidding_{os.getpid()}"
    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(url: str) -> None:
    """Remove a PostgreSQL database :func:`fresh_url` made (a SQLite file goes with its folder):
    left behind, each run's database makes autovacuum visit every database less often."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    admin = create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def analyze(url: str) -> None:
    """Planner statistics for the seeded tables, as a database in service has them (autovacuum
    gathers them there): a fresh database has none, and its plans are not the ones users get."""
    from sqlalchemy import text

    engine = make_engine(url)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    engine.dispose()


def seed(url: str, bidders: int) -> tuple[int, list[str]]:
    """The lot's id and one API token per bidder."""
    import random

    rng = random.Random(3)
    fixed = hash_password("bench-pass-1")
    users.hash_password = lambda _p: fixed  # type: ignore[assignment]  # one hash, not one per user
    engine = make_engine(url)
    upgrade(engine)
    tokens: list[str] = []
    with transaction(make_sessionmaker(engine)) as s:
        inst = make_uscc(rng, division="320400")
        parties.create_institution(
            s, actor=SYSTEM, data=InstitutionIn(code="CZ", name="常州产权交易所", uscc=inst)
        )
        op = users.create(
            s,
            actor=SYSTEM,
            username="bench_operator",
            password="bench-password-1",
            role=Role.operator,
            org_uscc=inst,
        )
        operator = op.to_actor()
        body = ListingIn(
            asset_class="vehicle",
            mode="timed",
            title="压力测试车辆",
            seller_name="常州市机关事务管理局",
            appraisal=str(START_YUAN),
            start_price=str(START_YUAN),
            step=str(STEP_YUAN),
            deposit="1000",
            fields={"plate": "苏D12345", "vin": "LSVAU033512345678", "mileage_km": 1000},
        )
        listing = listings.create(s, actor=operator, data=body)
        listings.submit(s, actor=operator, code=listing.code)
        listings.approve(s, actor=operator, code=listing.code)
        for i in range(bidders):
            org = registry_service.create(
                s,
                actor=SYSTEM,
                data=OrgCreate(uscc=make_uscc(rng), name=f"压测竞买{i}号有限公司", district="xinbei"),
            )
            user = users.create(
                s, actor=SYSTEM, username=f"bench_bidder_{i}", password="bench-password-1", role=Role.bidder
            )
            bidder = parties.enrol_org_bidder(s, actor=SYSTEM, uscc=org.uscc, user_id=user.id)
            ledger.post(
                s,
                actor=SYSTEM,
                kind="receive",
                ref="bench",
                entries=pb.move(pb.BANK, pb.available(bidder.id), 100_000),
            )
            who = user.to_actor()
            reg = registrations.register(s, actor=who, listing=listing, accept_conditions=True)
            registrations.review(s, actor=operator, reg_id=reg.id, approve=True)
            registrations.pay_deposit(s, actor=who, reg_id=reg.id)
            tokens.append(users.create_token(s, actor=SYSTEM, user_id=user.id, name="bench"))
        lot = s.scalar(select(Lot).where(Lot.listing_id == listing.id))
        assert lot is not None
        from datetime import timedelta

        lot.starts_at = listing.auction_start = utcnow() - timedelta(seconds=1)
        lot.free_ends_at = lot.starts_at + timedelta(hours=2)
        lot.deadline = lot.free_ends_at + timedelta(seconds=180)
        lot_id = lot.id
    engine.dispose()
    analyze(url)
    return lot_id, tokens


def check_db(url: str, lot_id: int, accepted: list[int]) -> list[str]:
    problems: list[str] = []
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        bids = list(s.scalars(select(LotBid).where(LotBid.lot_id == lot_id).order_by(LotBid.seq)))
        lot = s.get(Lot, lot_id)
        assert lot is not None
        prev_hash, prev_amount, prev_at = chain.GENESIS, -1, None
        for i, b in enumerate(bids, start=1):
            if b.seq != i:
                problems.append(f"sequence gap at {i}")
            if b.amount_fen <= prev_amount:
                problems.append(f"bid {i} not better than the previous")
            if prev_at is not None and b.at < prev_at:
                problems.append(f"bid {i} earlier than the previous")
            link = chain.link(
                prev_hash,
                lot=str(lot_id),
                seq=b.seq,
                bidder_no=b.bidder_no,
                amount_fen=b.amount_fen,
                at=b.at.isoformat(timespec="microseconds"),
            )
            if b.prev_hash != prev_hash or b.hash != link:
                problems.append(f"hash chain broken at {i}")
            prev_hash, prev_amount, prev_at = b.hash, b.amount_fen, b.at
        stored = {b.seq for b in bids}
        lost = [seq for seq in accepted if seq not in stored]
        if lost or len(set(accepted)) != len(accepted):
            problems.append(f"acknowledged bids not stored (or twice): {lost[:5]}")
        if lot.seq != len(bids) or lot.head_hash != prev_hash:
            problems.append("lot head does not match its bids")
    engine.dispose()
    return problems[:20]
