"""Benchmark live bidding: one lot, many bidders bidding as fast as they can, many SSE watchers.

Run: .venv/bin/python bench/exchange_bidding.py [--backend sqlite|postgres] [--bidders 200]
     [--seconds 60] [--watchers 2000] [--transport http|ws|mixed] [--profile FILE]
     (``SWITCH=0.0005`` in the environment sets the server's ``sys.setswitchinterval``, to see
     how much the bid writer thread waits for the GIL)

1. Migrates a fresh database (SQLite in a temporary folder, or a fresh PostgreSQL database on
   127.0.0.1), creates an institution, ``--bidders`` qualified bidders with their deposits frozen
   and one live vehicle lot in its free period (not timed).
2. Starts the app under uvicorn in a child process (one worker), so the load is not measured
   in the same interpreter.
3. ``--watchers`` SSE clients subscribe to the lot's event stream; then every bidder bids in a
   loop for ``--seconds``: the best price it has seen plus one to three steps, with a fresh
   idempotency key per bid — over ``POST …/bids`` (``http``), over the bidding room's WebSocket
   ``…/live`` opened once per bidder (``ws``), or half and half (``mixed``).
4. Checks, then prints: zero lost bids (every 201 is in the database), sequence 1..N with each
   bid strictly better than the last and a whole hash chain, every watcher got every accepted
   bid in order; p50/p99 acknowledgement of accepted and of refused bids (separately) and the
   accepted-bid rate.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import websockets
from bidding_setup import START_YUAN, STEP_YUAN, check_db, drop_database, fresh_url, seed

from longcheng.core.pii import vault

# uvicorn re-raises SIGTERM after its shutdown: the stats are written from the handler it restores.
# The bench profiles the bidding window only: SIGUSR1 when the clock starts, SIGUSR2 when it stops.
PROFILED = """import cProfile, os, signal
prof = cProfile.Profile()
def start(*_args):
    prof.enable()
def dump(*_args):
    prof.disable()
    prof.dump_stats({path!r})
def stop(*_args):
    os._exit(0)
signal.signal(signal.SIGUSR1, start)
signal.signal(signal.SIGUSR2, dump)
signal.signal(signal.SIGTERM, stop)
run()
"""


def serve_child(port: int, env: dict[str, str], profile: str = "") -> subprocess.Popen[bytes]:
    """uvicorn in a child process; with ``profile`` it runs under cProfile and writes the stats there."""
    code = (
        "import os, sys, uvicorn; from longcheng.web import create_app; "
        "sys.setswitchinterval(float(os.environ.get('SWITCH', '0.005')))\n"
        f"run = lambda: uvicorn.run(create_app(), host='127.0.0.1', port={port}, "
        "log_level='warning', timeout_keep_alive=60, ws_per_message_deflate=False)\n"
        + (PROFILED.format(path=profile) if profile else "run()")
    )
    child = subprocess.Popen([sys.executable, "-c", code], env=env)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return child
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


EVENT_ID = re.compile(rb"\nid: (\d+)\r?\n")


async def watcher(base: str, lot_id: int, got: list[int], stop: asyncio.Event) -> None:
    """One SSE watcher on a plain socket: it keeps every event's id, in order (what the checks
    need), without an HTTP client's per-line work, so 2,000 of them cost the bench little CPU.
    The server writes whole events per chunk, so an id line is never cut by the chunk framing;
    a read is parsed up to its last complete event."""
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    path = f"/api/v1/exchange/lots/{lot_id}/events"
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head
    rest = b"\n"
    try:
        while not stop.is_set():
            data = await reader.read(65536)
            if not data:
                return
            rest += data
            cut = rest.rfind(b"\n\r\n")
            if cut >= 0:
                got.extend(int(n) for n in EVENT_ID.findall(rest, 0, cut + 1))
                rest = rest[cut:]
    finally:
        writer.close()


def _note(out: dict[str, Any], status: str, took: float, seq: int | None) -> None:
    out["status"][status] = out["status"].get(status, 0) + 1
    out["lat"].append(took)
    out["times"].append((time.monotonic(), took))
    (out["lat_ok"] if seq is not None else out["lat_no"]).append(took)
    if seq is not None:
        out["accepted"].append(seq)


async def bidder(
    client: httpx.AsyncClient, token: str, lot_id: int, until: float, best: list[int], out: dict[str, Any]
) -> None:
    import random

    rng, n = random.Random(token), 0
    headers = {"Authorization": f"Bearer {token}"}
    while time.monotonic() < until:
        amount = max(best[0], (START_YUAN - STEP_YUAN) * 100) + STEP_YUAN * 100 * rng.randint(1, 3)
        n += 1
        t0 = time.perf_counter()
        try:
            r = await client.post(
                f"/api/v1/exchange/lots/{lot_id}/bids",
                json={"amount": f"{amount / 100:.2f}", "idempotency_key": f"{token[-8:]}-{n}"},
                headers=headers,
            )
        except httpx.TimeoutException:
            out["status"]["timeout"] = out["status"].get("timeout", 0) + 1
            continue
        body = r.json()
        accepted = r.status_code == 201
        status = f"http {r.status_code}" + ("" if accepted else f" {body.get('code', '')}")
        _note(out, status, time.perf_counter() - t0, body["seq"] if accepted else None)
        if accepted or body.get("code") == "exchange.bid_too_low":
            best[0] = max(best[0], amount)


FEED_FRAMES = ('{"type":"bids"', '{"type":"state"', '{"type":"closed"')


async def open_ws(base: str, token: str, lot_id: int) -> Any:
    """One bidder's room connection, authenticated once (opened before the clock starts)."""
    url = base.replace("http://", "ws://") + f"/api/v1/exchange/lots/{lot_id}/live"
    return await websockets.connect(
        url,
        additional_headers={"Authorization": f"Bearer {token}"},
        max_size=None,
        max_queue=None,
        open_timeout=300,
        ping_interval=None,
    )


async def ws_bidder(ws: Any, token: str, until: float, best: list[int], out: dict[str, Any]) -> None:
    """Bids and acks on the bidder's open WebSocket; the feed frames in between are skipped."""
    import random

    rng, n = random.Random(token), 0
    async with ws:
        while time.monotonic() < until:
            amount = max(best[0], (START_YUAN - STEP_YUAN) * 100) + STEP_YUAN * 100 * rng.randint(1, 3)
            n += 1
            t0 = time.perf_counter()
            body = {"type": "bid", "amount": f"{amount / 100:.2f}", "idempotency_key": f"{token[-8:]}-{n}"}
            await ws.send(json.dumps(body))
            while True:
                raw = await ws.recv()
                assert isinstance(raw, str)
                if not raw.startswith(FEED_FRAMES):
                    break
            msg = json.loads(raw)
            accepted = msg["type"] == "ack" and not msg["duplicate"]
            status = "ws ack" if accepted else f"ws {msg['type']} {msg.get('code', '')}"
            _note(out, status, time.perf_counter() - t0, msg["bid"]["seq"] if accepted else None)
            if accepted or msg.get("code") == "exchange.bid_too_low":
                best[0] = max(best[0], amount)


def database_cpu() -> float:
    """CPU time so far of every PostgreSQL process on the machine (0 on SQLite)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        if text[text.index("(") + 1 : text.rindex(")")] == "postgres":
            fields = text.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def sample(
    pid: int, every: float, marks: list[tuple[float, float, float]], stop: asyncio.Event
) -> None:
    """(time, server CPU, database CPU) every ``every`` seconds while the bidders bid."""
    while not stop.is_set():
        marks.append((time.monotonic(), cpu_seconds(pid), database_cpu()))
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass
    marks.append((time.monotonic(), cpu_seconds(pid), database_cpu()))


def cpu_seconds(pid: int, task: int | None = None) -> float:
    """User + system CPU time of the server process (or of one of its threads) so far (Linux
    ``/proc``): a figure a loaded machine does not inflate the way it inflates wall-clock latency."""
    path = f"/proc/{pid}/task/{task}/stat" if task is not None else f"/proc/{pid}/stat"
    try:
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # a thread that has ended
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run_load(
    base: str,
    lot_id: int,
    tokens: list[str],
    seconds: float,
    watchers: int,
    transport: str,
    pid: int,
    profile: bool = False,
    window: float = 10.0,
) -> tuple[dict[str, Any], list[list[int]]]:
    stop = asyncio.Event()
    seen: list[list[int]] = [[] for _ in range(watchers)]
    wtasks = [asyncio.create_task(watcher(base, lot_id, seen[i], stop)) for i in range(watchers)]
    await asyncio.sleep(min(10, 1 + watchers / 200))
    out: dict[str, Any] = {"lat": [], "lat_ok": [], "lat_no": [], "status": {}, "accepted": [], "times": []}
    best = [0]
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10)
    on_ws = [transport == "ws" or (transport == "mixed" and i % 2 == 1) for i in range(len(tokens))]
    sockets = await asyncio.gather(
        *(open_ws(base, t, lot_id) for t, w in zip(tokens, on_ws, strict=True) if w)
    )
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        until = time.monotonic() + seconds
        started, cpu0, own0 = time.perf_counter(), cpu_seconds(pid), time.process_time()
        loop0 = cpu_seconds(pid, pid)
        if profile:
            os.kill(pid, signal.SIGUSR1)
        opened = iter(sockets)
        gc.disable()  # a pass over the client's heap would stall every bidder and count as latency
        done, out["marks"] = asyncio.Event(), []
        sampler = asyncio.create_task(sample(pid, window, out["marks"], done))
        await asyncio.gather(
            *(
                ws_bidder(next(opened), t, until, best, out)
                if w
                else bidder(client, t, lot_id, until, best, out)
                for t, w in zip(tokens, on_ws, strict=True)
            )
        )
        done.set()
        await sampler
        gc.enable()
        out["elapsed"], out["cpu"] = time.perf_counter() - started, cpu_seconds(pid) - cpu0
        out["client_cpu"] = time.process_time() - own0
        out["loop_cpu"] = cpu_seconds(pid, pid) - loop0
        if profile:
            os.kill(pid, signal.SIGUSR2)
    top = max(out["accepted"], default=0)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any((s[-1] if s else 0) < top for s in seen):
        await asyncio.sleep(0.2)
    stop.set()
    for t in wtasks:
        t.cancel()
    await asyncio.gather(*wtasks, return_exceptions=True)
    return out, seen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--bidders", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--watchers", type=int, default=2000)
    ap.add_argument("--transport", choices=["http", "ws", "mixed"], default="http")
    ap.add_argument("--window", type=float, default=10.0, help="seconds per line of the by-window figures")
    ap.add_argument("--profile", default="", help="write the server's cProfile stats to this file")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        url = fresh_url(args.backend, tmp)
        key = tmp / "pii.key"
        vault.init_key_file(key)
        env = {
            **os.environ,
            "LONGCHENG_DATABASE_URL": url,
            "LONGCHENG_DATA_DIR": str(tmp),
            "LONGCHENG_PII_KEY_FILE": str(key),
            "LONGCHENG_SECRET_KEY": "bench-secret-key-bench-secret-key",
        }
        os.environ.update(env)
        vault.reload()
        t0 = time.perf_counter()
        lot_id, tokens = seed(url, args.bidders)
        print(f"seeded {args.bidders} qualified bidders in {time.perf_counter() - t0:.1f} s ({args.backend})")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        child = serve_child(port, env, args.profile)
        try:
            out, seen = asyncio.run(
                run_load(
                    f"http://127.0.0.1:{port}",
                    lot_id,
                    tokens,
                    args.seconds,
                    args.watchers,
                    args.transport,
                    child.pid,
                    bool(args.profile),
                    args.window,
                )
            )
        finally:
            child.terminate()
            child.wait(timeout=20)
        try:
            report(args, out, seen, check_db(url, lot_id, out["accepted"]))
        finally:
            drop_database(url)


def _percentiles(lat: list[float]) -> str:
    if not lat:
        return "—"
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000  # noqa: E731
    mean = statistics.fmean(lat) * 1000
    return f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {p(1.0):.1f} ms (mean {mean:.1f} ms)"


def print_windows(out: dict[str, Any]) -> None:
    """Rate, p99 and CPU (server, database) of each window: does the run slow down as it goes?"""
    marks = out["marks"]
    for (t0, s0, d0), (t1, s1, d1) in zip(marks, marks[1:], strict=False):
        lat = sorted(took for at, took in out["times"] if t0 <= at < t1)
        span = t1 - t0
        if not lat or span < 0.5:
            continue
        p99 = lat[min(len(lat) - 1, int(0.99 * len(lat)))] * 1000
        start, end = t0 - marks[0][0], t1 - marks[0][0]
        print(
            f"  window {start:5.0f}–{end:3.0f} s: {len(lat) / span:6.0f} bid requests/s, p99 {p99:6.1f} ms, "
            f"server CPU {(s1 - s0) / span:4.2f} cores, database CPU {(d1 - d0) / span:4.2f} cores"
        )


def report(args: argparse.Namespace, out: dict[str, Any], seen: list[list[int]], problems: list[str]) -> None:
    lat = sorted(out["lat"])
    accepted = len(out["accepted"])
    expected = list(range(1, max(out["accepted"], default=0) + 1))
    if len(expected) > accepted:
        print(f"stored but not acknowledged in time (client timeout): {len(expected) - accepted}")
    complete = sum(1 for s in seen if s == expected)
    print(json.dumps({"status": dict(sorted(out["status"].items()))}, ensure_ascii=False))
    took = out["elapsed"]
    print(f"transport: {args.transport}; load average at the end: {os.getloadavg()[0]:.2f}")
    print(f"bid requests: {len(lat)} in {took:.1f} s ({len(lat) / took:.0f}/s)")
    print(f"accepted bids: {accepted} acknowledged ({accepted / took:.1f}/s)")
    cpu = out["cpu"]
    print(f"server CPU while bidding: {cpu:.1f} s = {cpu / max(1, len(lat)) * 1000:.2f} ms per bid request")
    loop = out["loop_cpu"]
    print(f"  of which the event loop thread {loop:.1f} s, other threads (writer, reads) {cpu - loop:.1f} s")
    own = out["client_cpu"]
    per = own / max(1, len(lat)) * 1000
    print(f"bench client CPU while bidding: {own:.1f} s = {per:.2f} ms per bid request")
    for name, values in (("all", lat), ("accepted", out["lat_ok"]), ("refused", out["lat_no"])):
        print(f"ack latency ({name}, n={len(values)}): {_percentiles(sorted(values))}")
    print_windows(out)
    print(f"watchers with every accepted bid in order: {complete}/{len(seen)}")
    print(
        "database checks: "
        + (
            "OK (sequence, strictly better, time order, hash chain, nothing lost)"
            if not problems
            else "; ".join(problems)
        )
    )
    if problems or complete != len(seen):
        sys.exit(1)


if __name__ == "__main__":
    main()
