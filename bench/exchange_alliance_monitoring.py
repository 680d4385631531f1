"""Benchmark the alliance dashboard and the full risk scan on a generated trading history.

Run: .venv/bin/python bench/exchange_alliance_monitoring.py [--trades 20000] [--bids-per 10]
     [--institutions 18] [--backend sqlite|postgres] [--runs 20] [--seed python|sql]

``--seed sql`` (PostgreSQL) generates the history inside the database with generate_series — the
way to reach the issue's million trades (``--trades 1000000 --bids-per 10``) in minutes.

Inserts (not timed, bulk Core inserts) ``--institutions`` institutions, ``--trades`` closed lots
spread over 24 months and every class (about 85 % sold), three qualified registrations each and
``--bids-per`` bids per lot, bank lines for every bidder, and registry people for a few firms so
that every signal fires somewhere. Then times the dashboard grouped by institution, class and
month (``--runs`` each; p50/p95) after one timed rebuild of the rollup the dashboard reads
(rebuilt when older than five minutes), one full risk scan (the first run) and one incremental
scan of the lots closed in the last ``--window-hours`` (what each later scheduled run checks).
Targets at 1 M trades / 10 M bids on PostgreSQL: dashboard p95 < 200 ms, scan < 60 s — this
script runs a scaled-down history; the figures in bench/RESULTS.md say what was run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, text

from longcheng.core.actors import SYSTEM
from longcheng.core.config import load_settings
from longcheng.core.db import append_rows, make_engine, make_sessionmaker, transaction
from longcheng.core.ids import make_uscc
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.exchange.bidding.models import Fingerprint, Lot, LotBid
from longcheng.exchange.ledger.models import BankLine
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder, Institution
from longcheng.exchange.monitoring import risk, rollup, service, signals
from longcheng.exchange.monitoring.models import RiskScan, RiskSignal
from longcheng.registry.models import Organisation
from longcheng.registry.people.models import OrgPerson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bidding_setup import fresh_url  # noqa: E402

CLASSES = ["equity", "debt", "realty", "vehicle", "equipment"]
T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _chunks(engine: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[i : i + 5000])


def _parties(engine: Any, rng: random.Random, n_inst: int, n_bidders: int) -> list[str]:
    insts = [
        {
            "id": i + 1,
            "code": f"I{i:02d}",
            "name": f"第{i + 1}产权交易机构",
            "uscc": make_uscc(rng),
            "region": "",
            "created_at": T0,
        }
        for i in range(n_inst)
    ]
    usccs = [make_uscc(rng) for _ in range(n_bidders)]
    orgs = [{"uscc": u, "name": f"压测竞买{i}号公司", "district": "xinbei"} for i, u in enumerate(usccs)]
    bidders = [
        {
            "id": i + 1,
            "kind": "org",
            "name": f"压测竞买{i}号公司",
            "uscc": u,
            "virtual_account": f"VA{i:010d}",
            "created_at": T0,
        }
        for i, u in enumerate(usccs)
    ]
    _chunks(engine, Institution.__table__, insts)
    _chunks(engine, Organisation.__table__, [{**o, **_org_defaults()} for o in orgs])
    _chunks(engine, Bidder.__table__, bidders)
    return usccs


def _org_defaults() -> dict[str, Any]:
    return {
        c.name: c.default.arg
        for c in Organisation.__table__.columns
        if c.default is not None and not callable(c.default.arg)
    }


def _people(engine: Any, rng: random.Random, usccs: list[str]) -> None:
    """A legal representative for every bidding firm: names drawn from a small pool (so many
    share a name, as real registries do, without being one person), and one person in fifty
    representing two firms (same ID, the related-bidders signal)."""
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀英华"
    rows = []
    for i, uscc in enumerate(usccs):
        same = i % 50 == 1
        person = i - 1 if same else i
        rows.append(
            {
                "org_id": i + 1,
                "uscc": uscc,
                "role": "legal_rep",
                "name": rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                "person_index": f"{person:064d}",
                "recorded_at": T0,
            }
        )
        if same:
            rows[-1]["name"] = rows[-2]["name"]
    _chunks(engine, OrgPerson.__table__, rows)


def _trade(
    rng: random.Random, lid: int, trades: int, n_inst: int, closed: datetime, sold: bool
) -> dict[str, Any]:
    start = rng.randint(10, 5000) * 100_000
    return {
        "id": lid,
        "code": f"L{lid:08d}",
        "institution_id": rng.randint(1, n_inst),
        "asset_class": rng.choice(CLASSES),
        "mode": "timed",
        "title": f"压测项目{lid}",
        "region": "",
        "seller_name": f"转让方{rng.randint(1, trades // 20 + 1)}",
        "description": "",
        "fields": {},
        "appraisal_fen": start,
        "start_fen": start,
        "step_fen": 100_000,
        "deposit_fen": start // 10,
        "currency": "CNY",
        "rules_version": "2026.1",
        "rules": {"countdown_seconds": 180},
        "status": "sold" if sold else "unsold",
        "disclosure_note": "",
        "status_reason": "",
        "attempt": 1,
        "created_by": "bench",
        "created_at": closed - timedelta(days=30),
        "published_at": closed - timedelta(days=rng.randint(10, 40)),
    }


def _lot(lid: int, first_reg: int, bids_per: int, start: int, closed: datetime, sold: bool) -> dict[str, Any]:
    return {
        "id": lid,
        "listing_id": lid,
        "starts_at": closed - timedelta(hours=1),
        "free_ends_at": closed - timedelta(minutes=50),
        "deadline": closed,
        "price_fen": start + (bids_per - 1) * 100_000 if sold else None,
        "leader_reg_id": first_reg if sold else None,
        "seq": bids_per if sold else 0,
        "preempt_uses": 0,
        "head_hash": "0" * 64,
        "closed_at": closed,
        "result": "sold" if sold else "unsold",
        "settlement": "none",
        "delivery_note": "",
    }


def _chunk(rng: random.Random, first: int, last: int, args: argparse.Namespace) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = {t: [] for t in (Listing, Lot, Registration, LotBid, Fingerprint)}
    for lid in range(first, last + 1):
        closed = T0 + timedelta(minutes=rng.randint(0, 60 * 24 * 720))
        sold = rng.random() < 0.85
        listing = _trade(rng, lid, args.trades, args.institutions, closed, sold)
        first_reg = (lid - 1) * 3 + 1
        out[Listing].append(listing)
        out[Lot].append(_lot(lid, first_reg, args.bids_per, listing["start_fen"], closed, sold))
        shared = rng.random() < 0.01  # two competing bidders on one device
        for j, b in enumerate(rng.sample(range(1, args.bidders + 1), 3)):
            out[Registration].append(
                {
                    "id": first_reg + j,
                    "listing_id": lid,
                    "bidder_id": b,
                    "bidder_no": f"{j + 1:03d}",
                    "status": "qualified",
                    "preemptor": False,
                    "conditions_accepted": True,
                    "deposit": "released",
                    "review_note": "",
                    "created_at": closed - timedelta(days=5),
                }
            )
            device = f"D{lid}" if shared and j < 2 else f"D{lid}-{j}"
            out[Fingerprint].append(
                {
                    "listing_id": lid,
                    "bidder_id": b,
                    "kind": "registration",
                    "ip": f"10.{lid % 250}.{j}.{b % 250}",
                    "ua_hash": f"{b:064d}",
                    "device_id": device,
                    "at": closed - timedelta(days=5),
                }
            )
        for k in range(args.bids_per if sold else 0):
            out[LotBid].append(
                {
                    "lot_id": lid,
                    "seq": k + 1,
                    "registration_id": first_reg + k % 3,
                    "bidder_no": f"{k % 3 + 1:03d}",
                    "amount_fen": listing["start_fen"] + k * 100_000,
                    "at": closed - timedelta(minutes=50) + timedelta(seconds=30 * k),
                    "idem_key": f"{lid}-{k}",
                    "prev_hash": "0" * 64,
                    "hash": "0" * 64,
                }
            )
    return out


def _history(engine: Any, rng: random.Random, args: argparse.Namespace) -> None:
    """The trades in chunks of 20,000 (COPY on PostgreSQL), so a million fit in memory."""
    factory = make_sessionmaker(engine)
    for first in range(1, args.trades + 1, 20_000):
        rows = _chunk(rng, first, min(args.trades, first + 19_999), args)
        with transaction(factory) as s:
            for model, batch in rows.items():
                append_rows(s, model, batch)
    _bank_lines(engine, args.bidders)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")


def _bank_lines(engine: Any, bidders: int) -> None:
    """One deposit per bidder, paid by one of fifty third-party accounts (the shared-payer signal)."""
    lines = [
        {
            "bank_ref": f"B{b}",
            "virtual_account": f"VA{b - 1:010d}",
            "payer_name": f"付款方{b % 50}",
            "payer_account": f"6222{b % 50:012d}",
            "amount_fen": 10**9,
            "booked_at": T0,
            "status": "matched",
            "bidder_id": b,
            "note": "",
        }
        for b in range(1, bidders + 1)
    ]
    _chunks(engine, BankLine.__table__, lines)


def _time_checks(factory: Any) -> None:
    """Each check of the full scan alone, over every closed lot (nothing stored)."""
    with transaction(factory) as s:
        scanned = select(Lot.id.label("lot_id"), Lot.listing_id).where(Lot.result.is_not(None)).subquery()
        checks: dict[str, Callable[[], list[signals.Found]]] = {
            "related": lambda: signals.related(s, SYSTEM, scanned),
            "single_at_reserve": lambda: signals.single_at_reserve(s, scanned),
            "last_second": lambda: signals.last_second(s, scanned),
            "repeat_winner": lambda: signals.repeat_winner(s, scanned, True),
            "shared_payer": lambda: signals.shared_payer(s, scanned),
            "shared_fingerprint": lambda: signals.shared_fingerprint(s, scanned),
        }
        for name, check in checks.items():
            t = time.perf_counter()
            found = check()
            print(f"  check {name}: {time.perf_counter() - t:.2f} s, {len(found)} found")


SQL_SEED = [
    # listings and their lots: prices, institutions, classes, sellers and close times from
    # multiplicative hashes of the id (deterministic, no random() state)
    """INSERT INTO exchange_listing (id, code, institution_id, asset_class, mode, title, region,
        seller_name, description, fields, appraisal_fen, start_fen, step_fen, deposit_fen, currency,
        rules_version, rules, status, disclosure_note, status_reason, attempt, created_by, created_at,
        published_at)
    SELECT i, 'L' || lpad(i::text, 8, '0'), 1 + (i * 7919) % :inst,
        (ARRAY['equity','debt','realty','vehicle','equipment'])[1 + (i * 31) % 5], 'timed',
        '压测项目' || i, '', '转让方' || (1 + (i * 104729) % (:trades / 20 + 1)), '', '{}', p, p, 100000,
        p / 10, 'CNY', '2026.1', '{"countdown_seconds": 180}',
        CASE WHEN (i * 13) % 100 < 85 THEN 'sold' ELSE 'unsold' END, '', '', 1, 'bench',
        c - interval '30 days', c - ((10 + i % 30) * interval '1 day')
    FROM (SELECT i, (10 + (i * 2654435761) % 4990) * 100000 AS p,
                 timestamptz '2025-01-01 00:00+00' + ((i * 48271) % 1036800) * interval '1 minute' AS c
          FROM generate_series(1::bigint, :trades) AS i) AS t""",
    """INSERT INTO exchange_lot (id, listing_id, starts_at, free_ends_at, deadline, price_fen,
        leader_reg_id, seq, preempt_uses, head_hash, closed_at, result, settlement, delivery_note)
    SELECT l.id, l.id, c - interval '1 hour', c - interval '50 minutes', c,
        CASE WHEN l.status = 'sold' THEN l.start_fen + (:bids - 1) * 100000 END,
        CASE WHEN l.status = 'sold' THEN (l.id - 1) * 3 + 1 END,
        CASE WHEN l.status = 'sold' THEN :bids ELSE 0 END, 0, repeat('0', 64), c, l.status, 'none', ''
    FROM (SELECT *, created_at + interval '30 days' AS c FROM exchange_listing) AS l""",
    # three qualified bidders per listing, distinct by construction
    """INSERT INTO exchange_registration (id, listing_id, bidder_id, bidder_no, status, preemptor,
        conditions_accepted, deposit, review_note, created_at)
    SELECT (l.id - 1) * 3 + j + 1, l.id, 1 + ((l.id::bigint * 7919) + j * (l.id % 997 + 1)) % :bidders,
        lpad((j + 1)::text, 3, '0'), 'qualified', false, true, 'released', '',
        l.created_at + interval '25 days'
    FROM exchange_listing AS l CROSS JOIN generate_series(0, 2) AS j""",
    """INSERT INTO exchange_lot_bid (lot_id, seq, registration_id, bidder_no, amount_fen, at, idem_key,
        prev_hash, hash)
    SELECT lot.id, k, (lot.id - 1) * 3 + 1 + (k - 1) % 3, lpad((1 + (k - 1) % 3)::text, 3, '0'),
        l.start_fen + (k - 1) * 100000, lot.free_ends_at + (k - 1) * interval '30 seconds',
        lot.id || '-' || k, repeat('0', 64), repeat('0', 64)
    FROM exchange_lot AS lot JOIN exchange_listing AS l ON l.id = lot.listing_id
    CROSS JOIN generate_series(1, :bids) AS k WHERE lot.result = 'sold'""",
    # one fingerprint per registration; in one listing of a hundred two bidders share a device
    """INSERT INTO exchange_fingerprint (listing_id, bidder_id, kind, ip, ua_hash, device_id, at)
    SELECT r.listing_id, r.bidder_id, 'registration',
        '10.' || r.listing_id % 250 || '.' || r.id % 3 || '.' || r.bidder_id % 250,
        lpad(r.bidder_id::text, 64, '0'),
        CASE WHEN r.listing_id % 100 = 7 AND r.id % 3 < 2 THEN 'D' || r.listing_id
             ELSE 'D' || r.listing_id || '-' || r.id % 3 END,
        r.created_at
    FROM exchange_registration AS r""",
]


def _history_sql(engine: Any, args: argparse.Namespace) -> None:
    """The same shape of history generated inside PostgreSQL (a million trades in minutes)."""
    params = {
        "trades": args.trades,
        "bids": args.bids_per,
        "inst": args.institutions,
        "bidders": args.bidders,
    }
    with engine.begin() as conn:
        for sql in SQL_SEED:
            conn.execute(text(sql), params)
    _bank_lines(engine, args.bidders)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _seed(engine: Any, args: argparse.Namespace) -> None:
    upgrade(engine)
    rng = random.Random(12)
    t0 = time.perf_counter()
    _people(engine, rng, _parties(engine, rng, args.institutions, args.bidders))
    if args.seed == "sql" and engine.dialect.name == "postgresql":
        _history_sql(engine, args)
    else:
        _history(engine, rng, args)
    print(
        f"seeded {args.trades} trades, ~{int(args.trades * 0.85 * args.bids_per)} bids, "
        f"{args.institutions} institutions in {time.perf_counter() - t0:.1f} s ({engine.dialect.name})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--trades", type=int, default=20_000)
    ap.add_argument("--bids-per", type=int, default=10)
    ap.add_argument("--institutions", type=int, default=18)
    ap.add_argument("--bidders", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--window-hours", type=int, default=24)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--seed", choices=["python", "sql"], default="python", help="sql: PostgreSQL only, fast")
    ap.add_argument("--reuse", default="", help="database URL of an earlier run's history (skips seeding)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "pii.key"
        vault.init_key_file(key)
        os.environ.update({"LONGCHENG_DATA_DIR": tmp, "LONGCHENG_PII_KEY_FILE": str(key)})
        vault.configure(load_settings())
        engine = make_engine(args.reuse or fresh_url(args.backend, Path(tmp)))
        if args.reuse:  # a history seeded by an earlier run: forget its scans, keep its trades
            with engine.begin() as conn:
                conn.execute(delete(RiskSignal))
                conn.execute(delete(RiskScan))
        else:
            _seed(engine, args)
        factory = make_sessionmaker(engine)
        t = time.perf_counter()
        with transaction(factory) as s:
            cells = rollup.refresh(s)
        print(f"rollup rebuilt from every trade: {cells} cells in {time.perf_counter() - t:.2f} s")
        for group in service.GROUPS:
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                with transaction(factory) as s:
                    rows = service.dashboard(s, actor=SYSTEM, group=group)
                times.append(time.perf_counter() - t)
            times.sort()
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(
                f"dashboard by {group}: {len(rows)} rows, p50 {times[len(times) // 2] * 1000:.0f} ms, "
                f"p95 {p95 * 1000:.0f} ms"
            )
        _time_checks(factory)
        t = time.perf_counter()
        with transaction(factory) as s:
            found = risk.scan(s, actor=SYSTEM)
        print(f"risk scan (full, first run): {time.perf_counter() - t:.1f} s, new signals {found}")
        with transaction(factory) as s:
            last = s.scalar(select(RiskScan).order_by(RiskScan.id.desc()).limit(1))
            assert last is not None
            assert last.watermark is not None
            last.watermark -= timedelta(hours=args.window_hours)
        t = time.perf_counter()
        with transaction(factory) as s:
            found = risk.scan(s, actor=SYSTEM)
            lots = s.scalar(select(RiskScan.lots).order_by(RiskScan.id.desc()).limit(1))
        print(
            f"risk scan (incremental, lots closed in the last {args.window_hours} h: {lots}): "
            f"{time.perf_counter() - t:.2f} s, new signals {found}"
        )
        engine.dispose()


if __name__ == "__main__":
    main()
