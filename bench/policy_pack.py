"""The whole example pack on 1,000,000 firms, and one firm's full explanation.

    .venv/bin/python bench/policy_pack.py --n 1000000

Prints: the four yearly enterprise clauses over N firms from in-memory columns (build inputs +
evaluate), the same from a Parquet file written in yuan decimals (read + convert + evaluate),
the monthly talent clause over N people, and the latency of one firm's full explanation
(median and 99th percentile over many runs, each with the other reading evaluated too).
Targets (issue 6): whole pack < 3 s; one explanation < 5 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from longcheng.policy.engine.batch import evaluate_columns
from longcheng.policy.engine.explain import explain
from longcheng.policy.engine.loader import load_pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.tables import read_table, table_columns


def firms(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    growth = np.round(rng.lognormal(np.log(60_000_000), 1.6, n)).astype(np.int64)
    growth[rng.random(n) < 0.2] *= -1
    return {
        "uscc": np.char.add("91320400MA", np.char.zfill(np.arange(n).astype(str), 8)),
        "enterprise_type": rng.choice(np.array(["high_tech", "tech_sme", "other"]), n, p=[0.45, 0.30, 0.25]),
        "rd_growth": growth,
        "high_tech_first_certified": rng.random(n) < 0.05,
        "cultivation_reward_received": np.where(rng.random(n) < 0.3, 5_000_000, 0),
        "national_grant": np.where(rng.random(n) < 0.05, rng.integers(0, 2 * 10**10, n), 0),
        "provincial_grant": np.where(rng.random(n) < 0.1, rng.integers(0, 10**10, n), 0),
        "grants_same_project": rng.random(n) < 0.5,
        "srdi_level": rng.choice(
            np.array(["none", "city", "province", "national"]), n, p=[0.85, 0.1, 0.04, 0.01]
        ),
        "srdi_newly_recognised": rng.random(n) < 0.3,
        "srdi_prior_reward": np.where(rng.random(n) < 0.1, 10_000_000, 0),
    }


def talents(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "person_id": np.arange(n).astype(str),
        "degree": rng.choice(np.array(["bachelor", "master", "doctor", "other"]), n),
        "age": rng.integers(20, 45, n),
        "months_in_city@2025-03": rng.integers(0, 60, n),
        "social_insurance_paid@2025-03": rng.random(n) < 0.9,
    }


def timed(label: str, func: object, repeats: int) -> float:
    assert callable(func)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    best = statistics.median(times)
    print(f"{label:<58} {best:7.3f} s  (median of {repeats})")
    return best


def parquet_in_yuan(columns: dict[str, np.ndarray], path: Path) -> None:
    money = {
        "rd_growth",
        "cultivation_reward_received",
        "national_grant",
        "provincial_grant",
        "srdi_prior_reward",
    }
    arrays = {}
    for name, values in columns.items():
        if name in money:
            fen = pa.array(values, pa.int64()).cast(pa.decimal128(20, 0))
            arrays[name] = pc.multiply(fen, pa.scalar(Decimal("0.01"))).cast(pa.decimal128(20, 2))
        else:
            arrays[name] = pa.array(values)
    pq.write_table(pa.table(arrays), path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--explanations", type=int, default=2000)
    args = parser.parse_args()
    pack = load_pack()
    year, month = Period(2025), Period(2025, 3)
    columns = firms(args.n, 1)
    people = talents(args.n, 2)
    clauses = pack.clauses_for("enterprise", year.kind)
    print(f"pack {pack.id}: {len(clauses)} yearly enterprise clauses, N = {args.n:,}")
    timed(
        "whole pack, enterprise clauses, from columns",
        lambda: evaluate_columns(pack, columns, year),
        args.repeats,
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "firms.parquet"
        parquet_in_yuan(columns, path)

        def from_parquet() -> None:
            evaluate_columns(pack, table_columns(pack, read_table(path), year), year)

        timed("whole pack, enterprise clauses, from Parquet (yuan decimals)", from_parquet, args.repeats)
    timed(
        "talent living subsidy (monthly), N people",
        lambda: evaluate_columns(pack, people, month, entity="talent"),
        args.repeats,
    )
    result = evaluate_columns(pack, columns, year)
    for item in result.summary():
        print(f"  {item['clause']:<36} qualifying {item['qualifying']:>9,}  total {item['total']:>22} yuan")
    values = {"rd_growth": "123456789.87", "enterprise_type": "high_tech"}
    latencies = []
    for _ in range(args.explanations):
        start = time.perf_counter()
        explain(pack, "innovation.rd_growth_reward", values, year)
        latencies.append(time.perf_counter() - start)
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99)]
    median = statistics.median(latencies) * 1000
    print(f"one firm's full explanation (R&D clause, both readings): median {median:.2f} ms,")
    print(f"  p99 {p99 * 1000:.2f} ms over {args.explanations} runs")


if __name__ == "__main__":
    main()
