"""Benchmark closing many live lots on time: ``--lots`` lots whose deadlines fall within five seconds.

Run: .venv/bin/python bench/exchange_closing.py [--lots 500] [--backend sqlite|postgres]

Seeds the lots (each with two qualified bidders, their deposits frozen, and one bid; not timed),
starts ``longcheng exchange closer`` (the chronograph: each round settles every lot past its
deadline in one set-based transaction — results, deposits released, feed events, audit) as a
child process, waits until it says it has started, sets the deadlines 3–8 s ahead, and reports
how long after its deadline each lot was settled. Target: every lot within 1 s. Readers never
wait for it: a lot reads as closed from its deadline on.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.auth import hash_password
from longcheng.core.clock import utcnow
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.ids import make_uscc
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.exchange import service as parties
from longcheng.exchange.bidding import placing
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.schemas import InstitutionIn, ListingIn
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgCreate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bidding_setup import fresh_url  # noqa: E402

PASSWORD = "bench-password-1"


def seed(url: str, lots: int) -> None:
    rng = random.Random(5)
    fixed = hash_password(PASSWORD)
    users.hash_password = lambda _p: fixed  # type: ignore[assignment]
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as s:
        inst = make_uscc(rng, division="320400")
        parties.create_institution(
            s, actor=SYSTEM, data=InstitutionIn(code="CZ", name="常州产权交易所", uscc=inst)
        )
        op = users.create(
            s, actor=SYSTEM, username="bench_operator", password=PASSWORD, role=Role.operator, org_uscc=inst
        )
        operator = op.to_actor()
        who = []
        for i in range(2):
            org = registry_service.create(
                s, actor=SYSTEM, data=OrgCreate(uscc=make_uscc(rng), name=f"压测{i}号公司", district="xinbei")
            )
            user = users.create(
                s, actor=SYSTEM, username=f"bench_bidder_{i}", password=PASSWORD, role=Role.bidder
            )
            bidder = parties.enrol_org_bidder(s, actor=SYSTEM, uscc=org.uscc, user_id=user.id)
            ledger.post(
                s,
                actor=SYSTEM,
                kind="receive",
                ref="bench",
                entries=pb.move(pb.BANK, pb.available(bidder.id), 10**12),
            )
            who.append(user.to_actor())
        body = ListingIn(
            asset_class="vehicle",
            mode="timed",
            title="压测车辆",
            seller_name="常州市机关事务管理局",
            appraisal="10000",
            start_price="10000",
            step="100",
            fields={"plate": "苏D12345", "vin": "LSVAU033512345678", "mileage_km": 1},
        )
        start = utcnow() - timedelta(seconds=30)
        for _ in range(lots):
            listing = listings.create(s, actor=operator, data=body)
            listings.submit(s, actor=operator, code=listing.code)
            listings.approve(s, actor=operator, code=listing.code)
            for w in who:
                reg = registrations.register(s, actor=w, listing=listing, accept_conditions=True)
                registrations.review(s, actor=operator, reg_id=reg.id, approve=True)
                registrations.pay_deposit(s, actor=w, reg_id=reg.id)
            lot = bidding.lot_of(s, listing)
            assert lot is not None
            listing.auction_start = lot.starts_at = lot.free_ends_at = start
            lot.deadline = start + timedelta(hours=1)
            placing.place_bid(
                s,
                actor=who[0],
                lot_id=lot.id,
                amount_fen=1_000_000,
                idem_key="b",
                now=start + timedelta(seconds=1),
            )
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lots", type=int, default=500)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_url(args.backend, Path(tmp))
        key = Path(tmp) / "pii.key"
        vault.init_key_file(key)
        env = {
            **os.environ,
            "LONGCHENG_DATABASE_URL": url,
            "LONGCHENG_DATA_DIR": tmp,
            "LONGCHENG_PII_KEY_FILE": str(key),
        }
        os.environ.update(env)
        t0 = time.perf_counter()
        seed(url, args.lots)
        print(f"seeded {args.lots} live lots in {time.perf_counter() - t0:.1f} s ({args.backend})")
        engine = make_engine(url)
        factory = make_sessionmaker(write_engine(engine))  # BEGIN IMMEDIATE on SQLite, as the closer
        cmd = [sys.executable, "-m", "longcheng.cli", "exchange", "closer", "--interval", "0.1"]
        child = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        started = time.perf_counter()
        child.stdout.readline()  # the closer says it has started (imports take long on a loaded machine)
        print(f"closer started in {time.perf_counter() - started:.1f} s")
        threading.Thread(target=child.stdout.read, daemon=True).start()  # keep its pipe drained
        with transaction(factory) as s:
            first = utcnow() + timedelta(seconds=3)
            for i, lot in enumerate(s.scalars(select(Lot).order_by(Lot.id))):
                lot.deadline = first + timedelta(seconds=5 * i / args.lots)
        try:
            report(factory, args.lots)
        finally:
            child.terminate()
            child.wait(timeout=20)
        engine.dispose()


def report(factory: object, lots: int) -> None:
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        with transaction(factory) as s:  # type: ignore[arg-type]
            rows = list(s.execute(select(Lot.deadline, Lot.closed_at)).all())
        if all(c is not None for _d, c in rows):
            break
        time.sleep(0.5)
    lags = sorted((c - d).total_seconds() for d, c in rows if c is not None)
    late = sum(1 for x in lags if x > 1.0)
    pct = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))] if lags else float("nan")  # noqa: E731
    print(f"settled {len(lags)}/{lots} lots")
    print(f"after deadline: p50 {pct(0.5):.3f} s, p99 {pct(0.99):.3f} s, max {pct(1.0):.3f} s")
    print(f"settled more than 1 s late: {late}")
    if len(lags) != lots or late:
        sys.exit(1)


if __name__ == "__main__":
    main()
