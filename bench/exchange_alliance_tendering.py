"""Benchmark 开标 of one tender with ``--bids`` sealed bids: join the shares, decrypt, verify, list.

Run: .venv/bin/python bench/exchange_alliance_tendering.py [--bids 200] [--backend sqlite|postgres]
     [--procedure open|negotiate]

Seeds (not timed) an institution, three opening officers (threshold 2), ``--bids`` funded bidders
who register (bid security frozen in the ledger) and submit a server-sealed price each. Then moves
the clock past the opening time, two officers present their shares, and times ``open_tender``
(join the key, check it against the public key, decrypt and check every bid's digest, write the
record, one transaction) plus reading the bid list back. Target: < 5 s for 200 bids.

With ``--procedure negotiate`` (竞争性谈判, every bidder invited, so at most 50) the first round is opened as
above, then a second sealed round starts, every bidder quotes again, the officers present their
shares again and the second opening is timed too.
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
from sqlalchemy.orm import Session, sessionmaker

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
from longcheng.exchange.tendering import opening, rounds, service
from longcheng.exchange.tendering.models import Tender, TenderBid
from longcheng.exchange.tendering.schemas import TenderIn
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgCreate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bidding_setup import fresh_url  # noqa: E402


def _bidders(s: Session, rng: random.Random, bids: int) -> list[tuple[users.User, str]]:
    """``bids`` funded organisation bidders: each login with its USCC."""
    out = []
    for i in range(bids):
        org = registry_service.create(
            s, actor=SYSTEM, data=OrgCreate(uscc=make_uscc(rng), name=f"压测投标{i}号公司", district="xinbei")
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
        out.append((user, org.uscc))
    return out


def seed(
    factory: object, bids: int, procedure: str
) -> tuple[str, list[tuple[users.User, str]], list[users.User]]:
    """The tender's code, each officer with their collected share, and the bidders' logins."""
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
        people = _bidders(s, rng, bids)
        now = utcnow()
        data = TenderIn(
            procedure=procedure,
            invited_usccs=[u for _, u in people] if procedure != "open" else [],
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
        for i, (user, _) in enumerate(people):
            service.register(s, actor=user.to_actor(), code=code)
            service.submit_bid(s, actor=user.to_actor(), code=code, price=str(9_000_000 + i), sealed=None)
    return code, held, [u for u, _ in people]


def _open(
    factory: sessionmaker[Session], code: str, held: list[tuple[users.User, str]]
) -> tuple[float, int, str]:
    """Move past the opening time, present two shares (not timed), then time 开标 and the list."""
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
        status = tender.status
    took = time.perf_counter() - t0
    return took, sum(1 for b in rows if b.open_status == "valid"), status


def _second_round(factory: sessionmaker[Session], code: str, people: list[users.User]) -> None:
    """Start round 2 of the 竞争性谈判 and have every bidder quote again (not timed)."""
    with transaction(factory) as s:
        now = utcnow()
        officer = s.scalar(select(users.User).where(users.User.username == "officer0"))
        assert officer is not None
        rounds.next_round(
            s,
            actor=officer.to_actor(),
            code=code,
            deadline=now + timedelta(hours=1),
            opening_at=now + timedelta(hours=2),
        )
        for i, user in enumerate(people):
            service.submit_bid(s, actor=user.to_actor(), code=code, price=str(8_500_000 + i), sealed=None)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bids", type=int, default=200)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--procedure", choices=["open", "negotiate"], default="open")
    args = ap.parse_args()
    if args.procedure != "open" and args.bids > 50:
        ap.error("an invited procedure names at most 50 suppliers (TenderIn.invited_usccs): use --bids 50")
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
        code, held, people = seed(factory, args.bids, args.procedure)
        seeded = time.perf_counter() - t0
        print(f"seeded a tender with {args.bids} sealed bids in {seeded:.1f} s ({args.backend})")
        took, valid, status = _open(factory, code, held)
        print(f"opened {args.bids} bids ({valid} valid) in {took:.3f} s; status {status}")
        ok = valid == args.bids and took < 5
        if args.procedure == "negotiate":
            _second_round(factory, code, people)
            took, valid, status = _open(factory, code, held)
            print(f"opened round 2 of {args.bids} quotes ({valid} valid) in {took:.3f} s; status {status}")
            ok = ok and valid == args.bids and took < 5
        engine.dispose()
        if not ok:
            sys.exit(1)


if __name__ == "__main__":
    main()
