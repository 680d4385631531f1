"""Benchmark 开标 of one tender with ``--bids`` sealed bids: join the shares, decrypt, verify, list.

Run: .venv/bin/python bench/exchange_alliance_tendering.py [--bids 200] [--backend sqlite|postgres]

Seeds (not timed) an institution, three opening officers (threshold 2), ``--bids`` funded bidders
who register (bid security frozen in the ledger) and submit a server-sealed price each. Then moves
the clock past the opening time, two officers present their shares, and times ``open_tender``
(join the key, check it against the public key, decrypt and check every bid's digest, write the
record, one transaction) plus reading the bid list back. Target: < 5 s for 200 bids.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.auth import hash_password
from longcheng.core.clock import utcnow
from longcheng.core.config import load_settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.ids import make_uscc
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.exchange import service as parties
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.schemas import InstitutionIn
from longcheng.exchange.tendering import opening, service
from longcheng.exchange.tendering.models import Tender, TenderBid
from longcheng.exchange.tendering.schemas import TenderIn
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgCreate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from exchange_bidding import fresh_url  # noqa: E402


def seed(factory: object, bids: int) -> tuple[str, list[tuple[users.User, str]]]:
    """The tender's code and each officer with their collected share."""
    rng = random.Random(8)
    fixed = hash_password("bench-pass-1")
    users.hash_password = lambda _p: fixed  # type: ignore[assignment]
    with transaction(factory) as s:  # type: ignore[arg-type]
        inst = make_uscc(rng, division="320400")
        parties.create_institution(
            s, actor=SYSTEM, data=InstitutionIn(code="CZ", name="常州产权交易所", uscc=inst)
        )
        officers = [
            users.create(
                s,
                actor=SYSTEM,
                username=f"officer{i}",
                password="x-bench-1",
                role=Role.operator,
                org_uscc=inst,
            )
            for i in range(3)
        ]
        now = utcnow()
        data = TenderIn(
            title="压测招标项目",
            purchaser_name="常州市压测采购人",
            budget="10000000",
            security="200000",
            officers=[o.username for o in officers],
            threshold=2,
            deadline=now + timedelta(hours=1),
            opening_at=now + timedelta(hours=2),
            notice="招标公告：压测用招标文件，共十章。",
        )
        code = service.create(s, actor=officers[0].to_actor(), data=data).code
        held = [(o, opening.collect_share(s, actor=o.to_actor(), code=code)) for o in officers]
        for i in range(bids):
            org = registry_service.create(
                s,
                actor=SYSTEM,
                data=OrgCreate(uscc=make_uscc(rng), name=f"压测投标{i}号公司", district="xinbei"),
            )
            user = users.create(s, actor=SYSTEM, username=f"tb{i}", password="x-bench-1", role=Role.bidder)
            bidder = parties.enrol_org_bidder(s, actor=SYSTEM, uscc=org.uscc, user_id=user.id)
            ledger.post(
                s,
                actor=SYSTEM,
                kind="receive",
                ref="bench",
                entries=pb.move(pb.BANK, pb.available(bidder.id), 10**9),
            )
            service.register(s, actor=user.to_actor(), code=code)
            service.submit_bid(s, actor=user.to_actor(), code=code, price=str(9_000_000 + i), sealed=None)
    return code, held


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bids", type=int, default=200)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "pii.key"
        vault.init_key_file(key)
        os.environ.update({"LONGCHENG_DATA_DIR": tmp, "LONGCHENG_PII_KEY_FILE": str(key)})
        vault.configure(load_settings())
        url = fresh_url(args.backend, Path(tmp))
        engine = make_engine(url)
        upgrade(engine)
        factory = make_sessionmaker(engine)
        t0 = time.perf_counter()
        code, held = seed(factory, args.bids)
        seeded = time.perf_counter() - t0
        print(f"seeded a tender with {args.bids} sealed bids in {seeded:.1f} s ({args.backend})")
        with transaction(factory) as s:
            now = utcnow()
            s.execute(
                update(Tender)
                .where(Tender.code == code)
                .values(deadline=now - timedelta(minutes=2), opening_at=now - timedelta(minutes=1))
            )
            for officer, share in held[:2]:
                opening.present_share(s, actor=officer.to_actor(), code=code, share=share)
        t0 = time.perf_counter()
        with transaction(factory) as s:
            tender = opening.open_tender(s, actor=held[0][0].to_actor(), code=code)
            rows = list(s.scalars(select(TenderBid).where(TenderBid.tender_id == tender.id)))
        took = time.perf_counter() - t0
        valid = sum(1 for b in rows if b.open_status == "valid")
        print(f"opened {len(rows)} bids ({valid} valid) in {took:.3f} s; status {tender.status}")
        engine.dispose()
        if valid != args.bids or took >= 5:
            sys.exit(1)


if __name__ == "__main__":
    main()
