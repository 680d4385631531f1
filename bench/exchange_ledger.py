"""Benchmark ``longcheng exchange ledger verify`` over a large deposit ledger.

Run: .venv/bin/python bench/exchange_ledger.py [--postings 1000000] [--backend sqlite|postgres]

Migrates a fresh database and writes ``--postings`` postings (two per entry: receipts, freezes,
releases and refunds over 10,000 bidders, balanced, with the account balances to match) by bulk
insert (not timed), then times the verification: every entry re-added, every balance compared,
none negative, the bank equal to what is owed. Target: 1,000,000 postings in < 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import insert

from longcheng.core.db import make_engine, make_sessionmaker
from longcheng.core.migrate import upgrade
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.ledger.models import LedgerAccount, LedgerEntry, LedgerPosting

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bidding_setup import fresh_url  # noqa: E402

BIDDERS = 10_000
BATCH = 50_000


def generate(entries: int, rng: random.Random) -> tuple[list[tuple[str, str, int]], dict[str, int]]:
    """Balanced moves (debit account, credit account, fen) that never overdraw, and the balances."""
    bal: dict[str, int] = defaultdict(int)
    moves: list[tuple[str, str, int]] = []
    while len(moves) < entries:
        b = rng.randrange(BIDDERS)
        avail, frozen = pb.available(b), pb.frozen(b)
        kind = rng.random()
        if kind < 0.4 or bal[avail] < 100:
            move = (pb.BANK, avail, rng.randint(100, 10_000_000))
        elif kind < 0.7:
            move = (avail, frozen, rng.randint(1, bal[avail]))
        elif kind < 0.85 and bal[frozen] > 0:
            move = (frozen, avail, bal[frozen])
        else:
            move = (avail, pb.BANK, rng.randint(1, bal[avail]))
        debit, credit, amount = move
        bal[debit] += amount if debit == pb.BANK else -amount
        bal[credit] += -amount if credit == pb.BANK else amount
        moves.append(move)
    return moves, bal


def fill(url: str, postings: int) -> None:
    moves, bal = generate(postings // 2, random.Random(7))
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        codes = sorted(bal)
        conn.execute(
            insert(LedgerAccount),
            [{"id": i + 1, "code": c, "balance_fen": bal[c]} for i, c in enumerate(codes)],
        )
        ids = {c: i + 1 for i, c in enumerate(codes)}
        for start in range(0, len(moves), BATCH):
            chunk = moves[start : start + BATCH]
            conn.execute(
                insert(LedgerEntry),
                [
                    {"id": start + i + 1, "kind": "bench", "ref": "", "actor": "bench"}
                    for i in range(len(chunk))
                ],
            )
            rows = []
            for i, (debit, credit, amount) in enumerate(chunk):
                rows.append({"entry_id": start + i + 1, "account_id": ids[debit], "amount_fen": amount})
                rows.append({"entry_id": start + i + 1, "account_id": ids[credit], "amount_fen": -amount})
            conn.execute(insert(LedgerPosting), rows)
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--postings", type=int, default=1_000_000)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_url(args.backend, Path(tmp))
        os.environ["LONGCHENG_DATABASE_URL"] = url
        t0 = time.perf_counter()
        fill(url, args.postings)
        print(f"wrote {args.postings} postings in {time.perf_counter() - t0:.1f} s ({args.backend})")
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            t0 = time.perf_counter()
            report = ledger.verify(session)
            took = time.perf_counter() - t0
        engine.dispose()
        print(f"verify: {report.postings} postings, {report.entries} entries in {took:.2f} s; ok={report.ok}")
        if not report.ok:
            print("\n".join(report.problems[:10]))
            sys.exit(1)


if __name__ == "__main__":
    main()
