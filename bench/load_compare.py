"""Two revisions of the web server back to back on one database: requests/s, p95 and CPU per request.

Usage: .venv/bin/python bench/load_compare.py --base REV [--backend sqlite|postgres] [--orgs 100000]
       [--rounds 2] [--seconds 15] [--clients 50] [--workers N] [--scenario NAME] [--smoke]

The figures of ``bench/load.py`` move by 20–40 % from one half hour to the next on a shared
2-core machine, so a change of a few percent shows only against the old code run beside it.
This runs the base revision (checked out with ``git worktree`` into a temporary folder and
served with ``PYTHONPATH`` pointing at its ``src``) and this checkout's code in turn, ``--rounds``
times each (base, head, base, head, …), on the database ``bench/load.py`` keeps. Each run starts
``longcheng serve`` with ``--workers`` processes, warms it with 600 of the mixed list URLs (the
four scenarios of ``bench/load.py``), then ``wrk`` sends the mixed list (or one scenario's URLs,
``--scenario``) for ``--seconds`` from ``--clients`` connections. Besides requests/s and p95
it prints the CPU time per request of the server's processes (user and system apart, from
``/proc``) and, on PostgreSQL, of the database's server processes: a cost that the machine's
speed blurs less than the wall clock.

The base must run on the head's schema (a revision with other migrations is refused). Bounded:
fixed seconds, 127.0.0.1 only. ``--smoke``: 300 organisations in a temporary folder, the base
is ``HEAD``, one round of one second with 5 clients.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import load
from loadgen import Figures, have_wrk, run_python, run_wrk

from longcheng.core.config import Settings

REPO = Path(__file__).resolve().parents[1]
MIGRATIONS = "src/longcheng/migrations"


@dataclass(frozen=True)
class Run:
    variant: str
    figures: Figures
    user_ms: float  # the server's processes, per request
    system_ms: float
    database_ms: float  # PostgreSQL's server processes, per request

    def line(self) -> str:
        f = self.figures
        return (
            f"{self.variant:5s} {f.rate:7.1f} req/s  p50 {f.p50:6.1f}  p95 {f.p95:6.1f} ms  server CPU "
            f"{self.user_ms:5.2f} user + {self.system_ms:4.2f} system  database {self.database_ms:4.2f} "
            f"ms/request  ({f.requests} requests, {f.generator}, load {os.getloadavg()[0]:.1f})"
        )


def ticks(stat: str) -> tuple[int, int, int, str]:
    """(utime, stime, process group, name) from the text of ``/proc/<pid>/stat``."""
    name, rest = stat.split(" (", 1)[1].rsplit(")", 1)
    fields = rest.split()
    return int(fields[11]), int(fields[12]), int(fields[2]), name


def cpu_seconds(group: int) -> tuple[float, float, float]:
    """User and system CPU of process group ``group``, and the CPU of every ``postgres`` process."""
    user = system = database = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            utime, stime, pgrp, name = ticks(stat.read_text())
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
        if pgrp == group:
            user, system = user + utime, system + stime
        elif name == "postgres":
            database += utime + stime
    hz = os.sysconf("SC_CLK_TCK")
    return user / hz, system / hz, database / hz


def measure(variant: str, src: Path | None, url: str, token: str, args: argparse.Namespace) -> Run:
    """One server of ``variant`` (its code from ``src``, or this checkout's when None), warmed, loaded."""
    saved = os.environ.get("PYTHONPATH")
    if src is not None:
        os.environ["PYTHONPATH"] = str(src)
    try:
        port = load.free_port()
        server = load.start_server(url, port, args.workers)
    finally:
        if src is not None:
            os.environ.pop("PYTHONPATH") if saved is None else os.environ.update(PYTHONPATH=saved)
    try:
        mixed = load.mixed_paths(args.requests)
        paths = mixed if args.scenario == "mixed" else load.paths_for(args.scenario, args.requests, 0)
        run_python(port, token, mixed[: max(args.clients, 600 if not args.smoke else 20)], args.clients)
        before = cpu_seconds(server.pid)
        if args.generator == "wrk":
            figures = run_wrk(port, token, paths, args.clients, args.seconds)
        else:
            figures = run_python(port, token, paths, args.clients)
        after = cpu_seconds(server.pid)
    finally:
        load.stop_server(server)
    if figures.failed:
        raise SystemExit(f"{variant}: {figures.failed} requests failed: {figures.example}")
    per = [(b - a) * 1000 / max(1, figures.requests) for a, b in zip(before, after, strict=True)]
    return Run(variant, figures, *per)


@contextmanager
def checked_out(rev: str) -> Iterator[Path]:
    """The revision's ``src`` in a temporary worktree, removed afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "base"
        git = ["git", "-C", str(REPO)]
        subprocess.run([*git, "worktree", "add", "--detach", str(tree), rev], check=True, capture_output=True)
        try:
            ours = sorted(p.name for p in (REPO / MIGRATIONS).rglob("*.py"))
            theirs = sorted(p.name for p in (tree / MIGRATIONS).rglob("*.py"))
            if ours != theirs:
                raise SystemExit(f"{rev} has other migrations than this checkout (another schema)")
            yield tree / "src"
        finally:
            remove = [*git, "worktree", "remove", "--force", str(tree)]
            subprocess.run(remove, check=False, capture_output=True)


def summary(runs: list[Run]) -> None:
    for variant in ("base", "head"):
        mine = [r for r in runs if r.variant == variant]
        rate = statistics.median(r.figures.rate for r in mine)
        p95 = statistics.median(r.figures.p95 for r in mine)
        cpu = statistics.median(r.user_ms + r.system_ms for r in mine)
        db = statistics.median(r.database_ms for r in mine)
        print(
            f"median {variant}: {rate:7.1f} req/s  p95 {p95:6.1f} ms  server CPU {cpu:5.2f}  "
            f"database {db:4.2f} ms/request",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="the revision to compare against (git)")
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="different mixed URLs")
    parser.add_argument("--workers", type=int, default=Settings().web_workers)
    parser.add_argument("--scenario", choices=["mixed", *load.SCENARIOS], default="mixed")
    parser.add_argument("--smoke", action="store_true", help="tiny: 300 orgs, HEAD against itself")
    args = parser.parse_args()
    args.generator = "wrk" if have_wrk() else "python"
    folder = load.OUT
    if args.smoke:
        args.orgs, args.rounds, args.seconds, args.clients, args.requests = 300, 1, 1.0, 5, 40
        args.backend, args.base, args.workers = "sqlite", "HEAD", 1
        folder = Path(tempfile.mkdtemp())
    load.use_pii_key(folder)
    url, rebuild = load.database_url(args.backend, args.orgs, False, folder)
    token = load.build(url, args.orgs, 10 if args.smoke else 300, rebuild)
    print(
        f"[{args.backend}] {args.scenario}: base {args.base} against this checkout; {args.workers} worker(s)",
        flush=True,
    )
    runs: list[Run] = []
    with checked_out(args.base) as base_src:
        for _ in range(args.rounds):
            for variant, src in (("base", base_src), ("head", None)):
                runs.append(measure(variant, src, url, token, args))
                print(runs[-1].line(), flush=True)
    summary(runs)


if __name__ == "__main__":
    main()
