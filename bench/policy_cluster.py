"""The policy batch in process and on a Dask ``LocalCluster``, from Parquet partitions.

    .venv/bin/python bench/policy_cluster.py --firms 10000000 --partitions 20 --workers 2

Generates N synthetic firms straight into Parquet partitions of engine-native columns (no
database), then runs each mode in its own child process so that peak memory is its own:

* ``inprocess`` — read every partition, concatenate, build inputs and evaluate once (today's path);
* ``cluster`` — a ``LocalCluster`` of W worker processes (one thread each); one task per partition
  (``policy.engine.partitions.evaluate_partition``: read + build + calculate, keeping the basis
  columns a stored run needs), each part fetched as its task ends (as ``policy.runs.service.
  cluster`` does), then joined in partition order into one ``BatchResult``.

Prints wall times (build + calculate + gather, overlapped; then the join), per-partition task
times, peak RSS of the client and of each worker (``ru_maxrss``), and checks that both modes give
the same qualifying counts and totals in fen.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from longcheng.policy.engine.batch import BatchResult, evaluate_columns
from longcheng.policy.engine.inputs import Column
from longcheng.policy.engine.loader import load_pack
from longcheng.policy.engine.partitions import Part, evaluate_partition, join_parts, read_partition
from longcheng.policy.engine.periods import Period

PERIOD = Period(2025)
KEEP = [(name, PERIOD) for name in ("enterprise_type", "rd_growth", "national_grant", "srdi_level")]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(folder: Path, firms: int, partitions: int) -> list[Path]:
    """Engine-native columns (fen, bool, enum codes), one seeded generator per partition."""
    bounds = np.linspace(0, firms, partitions + 1).astype(np.int64)
    paths = []
    for index, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        n, rng = int(stop - start), np.random.default_rng(1000 + index)
        growth = np.round(rng.lognormal(np.log(60_000_000), 1.6, n)).astype(np.int64)
        growth[rng.random(n) < 0.2] *= -1
        columns: dict[str, Any] = {
            "uscc": pa.array(np.char.add("91320400MA", np.char.zfill(np.arange(start, stop).astype(str), 8))),
            "enterprise_type": rng.choice(3, n, p=[0.45, 0.30, 0.25]).astype(np.int16),
            "rd_growth": growth,
            "high_tech_first_certified": rng.random(n) < 0.05,
            "cultivation_reward_received": np.where(rng.random(n) < 0.3, 5_000_000, 0),
            "national_grant": np.where(rng.random(n) < 0.05, rng.integers(0, 2 * 10**10, n), 0),
            "provincial_grant": np.where(rng.random(n) < 0.1, rng.integers(0, 10**10, n), 0),
            "grants_same_project": rng.random(n) < 0.5,
            "srdi_level": rng.choice(4, n, p=[0.85, 0.1, 0.04, 0.01]).astype(np.int16),
            "srdi_newly_recognised": rng.random(n) < 0.3,
            "srdi_prior_reward": np.where(rng.random(n) < 0.1, 10_000_000, 0),
        }
        path = folder / f"part-{index:05d}.parquet"
        pq.write_table(pa.table(columns), path)
        paths.append(path)
    return paths


def totals(result: BatchResult) -> dict[str, Any]:
    return {item["clause"]: [item["qualifying"], item["total_fen"]] for item in result.summary()}


def run_inprocess(paths: list[Path]) -> dict[str, Any]:
    pack = load_pack()
    started = time.perf_counter()
    parts = [read_partition(path) for path in paths]
    columns: dict[str, Any] = {}
    for name, first in parts[0].items():
        if isinstance(first, Column):
            columns[name] = Column(np.concatenate([p[name].values for p in parts]))
        else:
            columns[name] = np.concatenate([p[name] for p in parts])
    del parts
    read = time.perf_counter() - started
    result = evaluate_columns(pack, columns, PERIOD, skip_missing=True)
    for key in KEEP:
        assert result.evaluation is not None
        result.evaluation.column(*key)
    return {
        "read_s": round(read, 2),
        "build_calculate_s": round(time.perf_counter() - started, 2),
        "client_peak_mb": round(peak_mb()),
        "totals": totals(result),
    }


def timed_partition(pack: Any, path: str) -> tuple[Part, float, float]:
    """One task: read + build + calculate one partition; its time and the worker's peak RSS."""
    started = time.perf_counter()
    part = evaluate_partition(pack, path, PERIOD, keep=KEEP)
    return part, time.perf_counter() - started, peak_mb()


def run_cluster(paths: list[Path], workers: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster, as_completed

    pack = load_pack()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, memory_limit=0
        ) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter()
        shared = client.scatter(pack, broadcast=True, hash=False)
        futures = {client.submit(timed_partition, shared, str(p), pure=False): i for i, p in enumerate(paths)}
        answers: dict[int, tuple[Part, float, float]] = {}
        for future in as_completed(list(futures)):
            answers[futures.pop(future)] = future.result()
        gathered = time.perf_counter() - started
        result = join_parts(pack, [answers[i][0] for i in range(len(paths))], PERIOD)
        joined = time.perf_counter() - started - gathered
        worker_peaks = client.run(peak_mb)
    task_s = [a[1] for a in answers.values()]
    return {
        "build_calculate_gather_s": round(gathered, 2),
        "join_s": round(joined, 2),
        "total_s": round(gathered + joined, 2),
        "task_s_median": round(float(np.median(task_s)), 2),
        "task_s_max": round(max(task_s), 2),
        "worker_peak_mb": sorted(round(v) for v in worker_peaks.values()),
        "client_peak_mb": round(peak_mb()),
        "totals": totals(result),
    }


def child(mode: str, folder: Path, workers: int) -> None:
    paths = sorted(folder.glob("part-*.parquet"))
    report = run_inprocess(paths) if mode == "inprocess" else run_cluster(paths, workers)
    print(json.dumps(report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--modes", default="inprocess,cluster")
    parser.add_argument("--child", choices=["inprocess", "cluster"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.workers)
        return
    with open("/proc/loadavg") as handle:
        print(f"load average at start: {handle.read().split()[:3]}")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        paths = generate(Path(tmp), args.firms, args.partitions)
        size = sum(p.stat().st_size for p in paths) / 2**20
        print(
            f"generated {args.firms:,} firms in {len(paths)} partitions: {size:.0f} MiB, "
            f"{time.perf_counter() - started:.1f} s"
        )
        reports = {}
        for mode in args.modes.split(","):
            command = [sys.executable, __file__, "--child", mode, "--folder", tmp]
            command += ["--workers", str(args.workers)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            reports[mode] = json.loads(out.strip().splitlines()[-1])
            shown = {k: v for k, v in reports[mode].items() if k != "totals"}
            print(f"{mode}: {json.dumps(shown)}")
        if len(reports) == 2:
            same = reports["inprocess"]["totals"] == reports["cluster"]["totals"]
            print(f"same qualifying counts and totals in fen: {same}")
        print(json.dumps(next(iter(reports.values()))["totals"]))
        with open("/proc/loadavg") as handle:
            print(f"load average at end: {handle.read().split()[:3]}")


if __name__ == "__main__":
    main()
