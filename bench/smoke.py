"""Run every bench script at a tiny size, so a bench that cannot start fails (``make bench-smoke``).

Usage: .venv/bin/python bench/smoke.py [--only NAME ...]

Each script runs in its own process with small sizes (SQLite only, temporary folders, no
network: the OpenFisca comparison runs OpenFisca only when its virtualenv under ``bench/out``
already exists). ``demo_cold.sh`` clones and installs from the package registry, so it is only
checked for syntax here. The figures printed are meaningless; only starting, running and
exiting 0 count. Exits 1 naming the scripts that failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TIMEOUT = 300


def commands(tmp: Path) -> dict[str, list[str]]:
    """Script name → its arguments at a tiny size."""
    return {
        "backup.py": ["--orgs", "200"],
        "exchange_alliance_monitoring.py": ["--trades", "50", "--bidders", "20", "--runs", "2"],
        "exchange_alliance_tendering.py": ["--bids", "5", "--procedure", "negotiate"],
        "exchange_bidding.py": [
            "--bidders",
            "3",
            "--seconds",
            "2",
            "--watchers",
            "3",
            "--transport",
            "mixed",
        ],
        "exchange_closing.py": ["--lots", "5"],
        "exchange_ledger.py": ["--postings", "2000"],
        "exchange_members.py": ["--members", "20", "--mandates", "100", "--requests", "5"],
        "carriers_search.py": ["--carriers", "2000", "--requests", "10"],
        "gen_articles.py": ["2"],
        "grants_bulk.py": ["--applications", "50", "--backend", "sqlite"],
        "grants_dashboard.py": ["--applications", "200", "--runs", "2", "--backend", "sqlite"],
        "grants_bench.py": [
            "--applications",
            "200",
            "--experts",
            "50",
            "--requests",
            "5",
            "--backend",
            "sqlite",
        ],
        "intel_extract.py": ["--megabytes", "0.02", "--names", "2000"],
        "intel_pipeline.py": ["--orgs", "200", "--articles", "20"],
        "intel_quality.py": [],
        "intel_search.py": ["--articles", "300", "--facts", "100", "--queries", "20"],
        "jobs_web.py": ["--orgs", "300", "--requests", "10"],
        "jobs.py": ["--latency-jobs", "5", "--seconds", "3", "--rate", "5"],
        "load.py": ["--smoke"],
        "load_compare.py": ["--smoke"],
        "load_instructions.py": ["--smoke"],
        "matching_rank.py": ["--no-dense", "--scale", "2000", "--queries", "10"],
        "money_cases.py": [],
        "policy_cluster.py": ["--firms", "20000", "--partitions", "2", "--workers", "1"],
        "policy_module.py": ["--orgs", "300", "--backend", "sqlite", "--lookups", "10"],
        "policy_openfisca.py": ["--smoke"],
        "policy_pack.py": ["--n", "2000", "--repeats", "1", "--explanations", "20"],
        "projects_lights.py": ["--projects", "100", "--nodes", "5"],
        "projects_list.py": [
            *("--projects", "100", "--nodes", "5", "--requests", "10"),
            *("--db", str(tmp / "projects.sqlite3"), "--out", str(tmp / "report")),
        ],
        "projects_report.py": ["--projects", "50", "--out", str(tmp / "monthly")],
        "registry_bench.py": ["--orgs", "500", "--backend", "sqlite", "--requests", "20"],
        "talent_run.py": ["--people", "2000", "--searches", "50"],
    }


MODULES = ("projects_fake.py", "loadgen.py", "bidding_setup.py")  # imported by other benches, nothing to run
SHELL = ("demo_cold.sh",)


def run(name: str, args: list[str]) -> tuple[bool, float, str]:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, str(BENCH / name), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=BENCH.parent,
        )
    except subprocess.TimeoutExpired:
        return False, time.perf_counter() - start, f"timed out after {TIMEOUT} s"
    return done.returncode == 0, time.perf_counter() - start, (done.stdout + done.stderr)[-3000:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="script names to run")
    args = parser.parse_args()
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        plan = commands(Path(tmp))
        known = {*plan, *MODULES, *SHELL}
        unlisted = sorted(p.name for p in BENCH.glob("*.py") if p.name not in known | {"smoke.py"})
        unlisted += sorted(p.name for p in BENCH.glob("*.sh") if p.name not in known)
        if unlisted:
            failed.append(f"not in the smoke list: {', '.join(unlisted)}")
        for name, script_args in plan.items():
            if args.only and name not in args.only:
                continue
            ok, seconds, output = run(name, script_args)
            print(f"{'ok  ' if ok else 'FAIL'} {name:22s} {seconds:5.1f} s", flush=True)
            if not ok:
                failed.append(name)
                print(output, flush=True)
        for name in MODULES:
            ok = subprocess.run([sys.executable, "-c", f"import {name[:-3]}"], cwd=BENCH).returncode == 0
            print(f"{'ok  ' if ok else 'FAIL'} {name:22s} imports", flush=True)
            if not ok:
                failed.append(name)
        for name in SHELL:
            ok = subprocess.run(["bash", "-n", str(BENCH / name)]).returncode == 0
            print(f"{'ok  ' if ok else 'FAIL'} {name:22s} syntax only (clones and installs)", flush=True)
            if not ok:
                failed.append(name)
    if failed:
        print(f"bench smoke failed: {'; '.join(failed)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
