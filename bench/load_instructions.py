"""What one list request costs the web worker, in instructions: a figure a shared machine cannot blur.

Usage: .venv/bin/python bench/load_instructions.py [--orgs 100000] [--backend sqlite|postgres]
       [--requests 200] [--scenario NAME ...] [--unkept] [--smoke]

``bench/load.py`` gives requests/s and CPU time per request, and both move by 20–40 % from run
to run on a 2-core machine shared with other work (the same Python loop took 0.68 s at one hour
and 0.96 s two hours later, 2026-12-06). Valgrind's callgrind counts the instructions the worker
executes instead: the same total for the same code and data whatever else the machine does, so
a change of a few percent shows. It runs the app in this process (no HTTP server: the ASGI app
is called directly, its routes still on the thread pool) against the database ``bench/load.py``
keeps (built first if missing), with the same URLs as its scenarios; each scenario's URLs are
asked twice unmeasured (list totals kept, as in a warm server) and then once with callgrind's
instrumentation on. ``--unkept`` counts instead what a list not kept yet costs: the app is
warmed with other URLs of the same kinds, then each different URL of the scenario not among
them is asked once, measured (its total, its window of ids and its drawn rows are read and kept
then). The database server's own work (PostgreSQL) is not counted.

Runs itself under ``valgrind --tool=callgrind`` (Debian package ``valgrind``): about a minute
for 200 requests. ``--smoke`` runs the same child at a tiny size without valgrind (it checks
that the harness runs; its figure is 0). Bounded: fixed requests, 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
MARK = "LOAD_INSTRUCTIONS_CHILD"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per scenario")
    parser.add_argument("--scenario", action="append", help="a scenario of bench/load.py, or 'mixed'")
    parser.add_argument("--unkept", action="store_true", help="each URL asked for the first time")
    parser.add_argument("--smoke", action="store_true", help="300 orgs, 5 requests, a temporary folder")
    args = parser.parse_args()
    if os.environ.get(MARK):
        asyncio.run(child(args))
        return
    if shutil.which("valgrind") is None and not args.smoke:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    for scenario in args.scenario or ["mixed"]:
        count = measure(scenario, args)
        what = "first asked" if args.unkept else "kept"
        print(f"[{args.backend}] {scenario:28s} {count:7.3f} M instructions/request ({what})", flush=True)


def measure(scenario: str, args: argparse.Namespace) -> float:
    """Run this script under callgrind for one scenario; the instructions counted per request."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, __file__, "--orgs", str(args.orgs), "--backend", args.backend]
        argv += ["--requests", str(args.requests), "--scenario", scenario]
        argv += ["--smoke"] if args.smoke else []
        argv += ["--unkept"] if args.unkept else []
        cmd = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={tmp}/cg.%p"]
        cmd += argv
        env = {**os.environ, MARK: "plain" if args.smoke else "callgrind", "PYTHONMALLOC": "malloc"}
        run = argv if args.smoke else cmd
        done = subprocess.run(run, env=env, capture_output=True, text=True, timeout=3600, check=False)
        if done.returncode != 0:
            raise SystemExit(f"the measured run failed ({done.returncode}):\n{done.stderr[-2000:]}")
        if args.smoke:
            return 0.0
        found = re.search(r"Collected : (\d+)", done.stderr)
        if found is None:
            raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
        asked = re.search(r"MEASURED (\d+)", done.stdout)
        return float(int(found.group(1)) / int(asked.group(1) if asked else args.requests) / 1e6)


async def child(args: argparse.Namespace) -> None:
    """Under callgrind: build the app, warm it, count ``--requests`` requests of one scenario."""
    sys.path.insert(0, str(BENCH))
    import load

    folder = Path(tempfile.mkdtemp()) if args.smoke else load.OUT
    orgs, projects = (300, 10) if args.smoke else (args.orgs, 300)
    load.use_pii_key(folder)
    url, rebuild = load.database_url(args.backend, orgs, False, folder)
    token = load.build(url, orgs, projects, rebuild)
    os.environ.update({"LONGCHENG_DATABASE_URL": url, "LONGCHENG_SECRET_KEY": "load-bench-secret"})
    from longcheng.web import create_app

    app = create_app()
    paths = _paths(load, args.scenario[0], 5 if args.smoke else args.requests)
    warm = paths * 2
    if args.unkept:
        warm = _paths(load, args.scenario[0], 100, seed=1000)
        paths = [p for p in dict.fromkeys(paths) if p not in set(warm)]
    async with app.router.lifespan_context(app):
        for path in warm:
            await _get(app, path, token)
        _instrument("on")
        for path in paths:
            await _get(app, path, token)
        _instrument("off")
    print(f"MEASURED {len(paths)}", flush=True)


def _paths(load: Any, scenario: str, count: int, seed: int = 0) -> list[str]:
    if scenario != "mixed":
        return list(load.paths_for(scenario, count, seed))
    names = list(load.SCENARIOS)
    mixed = [p for i, name in enumerate(names) for p in load.paths_for(name, count // 4 + 1, seed + 100 + i)]
    random.Random(7).shuffle(mixed)
    return mixed[:count]


def _instrument(state: str) -> None:
    if os.environ.get(MARK) == "callgrind":
        subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], capture_output=True, check=True)


async def _get(app: Any, url: str, token: str) -> None:
    """One GET through the whole ASGI app (middleware, routing, thread pool), like a client's."""
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    if sent[0]["status"] != 200:
        raise SystemExit(f"{url}: HTTP {sent[0]['status']}")


if __name__ == "__main__":
    main()
