"""Talent targets: the monthly 直兑 run for 200,000 people, and exact ID search through the blind index.

Usage: .venv/bin/python bench/talent_run.py [--people 200000] [--searches 2000]

On a fresh SQLite database with its own key file (not timed): N fictional people with valid
resident IDs (AES-GCM tokens, HMAC blind indexes), one in ten with a bound Role.talent account,
six in ten confirmed, social insurance for 2025-05 and 2025-06 (about 3 % with a June gap), and
the three sources marked imported. Then timed, each in one transaction as the scheduled job does
it: the May run (everyone new: evaluate, store every result, notify, payment lines), and the
June run (diff against May: new, stopped with reasons, changed). Finally the exact search
``people.find_by_id_number`` for random registered numbers (p50/p95 in ms). With ``--push``,
also time handing the May lines to the grants ledger (``payments.push_to_grants``, one
transaction), which is its own job after the run and not part of the run's target.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from longcheng.core.actors import SYSTEM
from longcheng.core.auth import hash_password
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.db import (
    append_rows,
    bulk_insert,
    make_engine,
    make_sessionmaker,
    transaction,
    write_engine,
)
from longcheng.core.migrate import upgrade
from longcheng.core.pii import ids, masking, vault
from longcheng.core.users import User
from longcheng.grants.ledger import service as ledger
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn
from longcheng.modules import load_models, wire
from longcheng.talent.models import Person, Run, SocialInsurance, SourceImport
from longcheng.talent.service import payments, people, runs

MONTHS = ("2025-05", "2025-06")
DEGREES = ("associate", "bachelor", "bachelor", "master", "master", "doctor")


def _people(n: int, rng: random.Random) -> tuple[list[dict[str, object]], list[str]]:
    rows, numbers, seen, now = [], [], set(), utcnow()
    for i in range(n):
        birth = date(1988, 1, 1) + timedelta(days=rng.randint(0, 365 * 12))
        seq = rng.randint(0, 999)
        while (number := ids.make_number("320402", birth, seq)) in seen:
            seq = (seq + 1) % 1000
        seen.add(number)
        numbers.append(number)
        rows.append(
            {
                "name": f"测试{i}",
                "id_token": vault.encrypt(number, purpose=people.ID_PURPOSE),
                "id_index": people.index_of(number),
                "id_masked": masking.mask_resident_id(number),
                "birth_date": birth,
                "sex": "男" if i % 2 else "女",
                "degree": rng.choice(DEGREES),
                "school": "常州大学",
                "graduation_date": date(birth.year + 23, 6, 30),
                "employer_uscc": None,
                "employer_name": "",
                "district": rng.choice(("xinbei", "wujin", "tianning", "zhonglou", "jintan", "liyang")),
                "industry": rng.choice(("3911", "2710", "6510", "7320")),
                "start_date": date(rng.choice((2022, 2023, 2024, 2025)), rng.randint(1, 4), 1),
                "left_date": None,
                "si_months": 2,
                "housing": "rented",
                "bank_token": None,
                "bank_masked": "",
                "user_id": None,
                "confirmed_at": None,
                "created_at": now,
                "updated_at": now,
            }
        )
        if rng.random() < 0.6:  # confirmed: the bank account the person typed, encrypted
            account = f"6222{i:015d}"
            rows[-1]["bank_token"] = vault.encrypt(account, purpose=people.BANK_PURPOSE)
            rows[-1]["bank_masked"] = masking.mask_bank_account(account)
            rows[-1]["confirmed_at"] = now
    return rows, numbers


def seed(url: str, n: int) -> list[str]:
    """People, accounts for one in ten, two months of insurance, fresh sources; returns the numbers."""
    rng = random.Random(2026)
    factory = make_sessionmaker(write_engine(make_engine(url)))
    rows, numbers = _people(n, rng)
    with transaction(factory) as session:
        password = hash_password("bench-password")
        users = [
            {
                "username": f"talent{i}",
                "display_name": "",
                "password_hash": password,
                "role": "talent",
                "org_uscc": None,
                "district": None,
                "is_active": True,
                "failed_logins": 0,
                "created_at": utcnow(),
            }
            for i in range(n // 10)
        ]
        user_ids = bulk_insert(session, User, users)
        for row, uid in zip(rows, user_ids, strict=False):
            row["user_id"] = uid
        person_ids = bulk_insert(session, Person, rows)
        si = [
            {
                "person_id": pid,
                "month": m,
                "employer_uscc": "91320400MA1XXXXXX0",
                "paid": not (m == MONTHS[1] and rng.random() < 0.03),
                "import_id": None,
            }
            for pid in person_ids
            for m in MONTHS
        ]
        append_rows(session, SocialInsurance, si)
        for source in ("social_insurance", "degree", "employer"):
            session.add(
                SourceImport(
                    source=source,
                    filename="bench",
                    rows=n,
                    changed=n,
                    covers_month="2026-12",
                    summary="bench",
                    actor="bench",
                    imported_at=utcnow(),
                )
            )
    return numbers


def timed_run(url: str, month: str) -> tuple[float, str]:
    factory = make_sessionmaker(write_engine(make_engine(url)))
    start = time.perf_counter()
    with transaction(factory) as session:
        run = runs.run_month(session, actor=SYSTEM, month=month, key=f"bench:{month}")
        text = (
            f"{run.population} people, {run.qualifying} qualify, new {run.new_count}, "
            f"stopped {run.stopped_count}, notified {run.notified}, lines {run.payment_lines}"
        )
    return time.perf_counter() - start, text


def timed_push(url: str) -> tuple[float, int]:
    factory = make_sessionmaker(write_engine(make_engine(url)))
    with transaction(factory) as session:
        data = ProgrammeIn(code=payments.PROGRAMME, name="青年人才生活补贴", department="人社局")
        programmes.create(session, actor=SYSTEM, data=data)
        ledger.set_budget(
            session, actor=SYSTEM, programme_code=payments.PROGRAMME, fiscal_year=2025, amount_fen=10**13
        )
    start = time.perf_counter()
    with transaction(factory) as session:
        first = session.scalar(select(func.min(Run.id)))
        count = payments.push_to_grants(session, actor=SYSTEM, run_id=first)
    took = time.perf_counter() - start
    with transaction(factory) as session:
        problems = ledger.verify(session)
    print(f"grants ledger verify after the push: {len(problems)} problems {problems[:3]}")
    return took, count


def search(url: str, numbers: list[str], count: int) -> list[float]:
    factory = make_sessionmaker(make_engine(url))
    rng = random.Random(7)
    times = []
    with factory() as session:
        for number in rng.sample(numbers, min(count, len(numbers))):
            start = time.perf_counter()
            found = people.find_by_id_number(session, actor=SYSTEM, id_number=number)
            times.append((time.perf_counter() - start) * 1000)
            assert found is not None
        assert session.scalar(select(func.count()).select_from(Person)) == len(numbers)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--searches", type=int, default=2000)
    parser.add_argument("--push", action="store_true", help="also time the hand-over to the grants ledger")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp) / "pii.key"
        vault.init_key_file(keys)
        os.environ["LONGCHENG_PII_KEY_FILE"] = str(keys)
        vault.configure(Settings(data_dir=Path(tmp)))
        load_models()
        wire()
        url = f"sqlite:///{Path(tmp) / 'talent_bench.sqlite3'}"
        upgrade(make_engine(url))
        start = time.perf_counter()
        numbers = seed(url, args.people)
        print(f"seed (not a target): {time.perf_counter() - start:.1f} s for {args.people} people")
        for month in MONTHS:
            seconds, text = timed_run(url, month)
            print(f"monthly run {month}: {seconds:.2f} s ({text}) — target < 30 s")
        if args.push:
            seconds, count = timed_push(url)
            rate = count / seconds
            print(f"push to the grants ledger: {seconds:.2f} s for {count} lines ({rate:.0f} lines/s)")
        times = search(url, numbers, args.searches)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
        print(
            f"search by ID (blind index), {len(times)} lookups: "
            f"p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms — target p95 < 20 ms"
        )


if __name__ == "__main__":
    main()
