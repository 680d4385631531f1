"""Load generators and the server-CPU probe behind ``bench/load.py`` (imported, not run).

Two generators send the same fixed list of GETs to 127.0.0.1 with keep-alive connections:

* ``wrk`` (Debian package ``wrk``), a C program: two threads cost the server little of the
  machine's two cores. A Lua script cycles through the URL list and prints the figures; it runs
  for a fixed number of seconds with a 30 s timeout per request.
* a small asyncio HTTP/1.1 client in Python, used when ``wrk`` is not installed: it sends each
  URL once, but takes a good share of one core from the server under 50 clients.

:func:`server_cpu_ms` reads the server process's CPU time (user + system, all threads) from
``/proc``: over N sequential requests it gives the server's CPU per request whatever else the
machine runs, which wall-clock throughput on a shared machine cannot.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
TIMEOUT = 30.0

WRK_SCRIPT = r"""
local paths = {}
local counter = 0
local index = 0

setup = function(thread)
  thread:set("offset", counter)
  counter = counter + 1
end

init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  index = (offset or 0) * 7919
end

request = function()
  index = index + 1
  return wrk.format("GET", paths[(index % #paths) + 1])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f %.3f\n", summary.requests, summary.duration,
    e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Figures:
    """One scenario's outcome: requests/s, latency percentiles in ms, and failures."""

    generator: str
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    failed: int
    example: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def have_wrk() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(port: int, token: str, paths: list[str], clients: int, seconds: float) -> Figures:
    """``wrk`` with ``clients`` connections over two threads for ``seconds``, cycling ``paths``."""
    with tempfile.TemporaryDirectory() as tmp:
        script, urls = Path(tmp) / "load.lua", Path(tmp) / "paths.txt"
        script.write_text(WRK_SCRIPT)
        urls.write_text("\n".join(paths) + "\n")
        cmd = [
            "wrk",
            *("-t", "2", "-c", str(clients), "-d", f"{max(1, round(seconds))}s"),
            *("--timeout", f"{TIMEOUT:.0f}s"),
            *("-H", f"Authorization: Bearer {token}", "-s", str(script)),
            f"http://{HOST}:{port}{paths[0]}",
            "--",
            str(urls),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + TIMEOUT + 30, check=True)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT "))
    requests, micros, status_errors, socket_errors, p50, p95, p99 = line.split()[1:]
    return Figures(
        "wrk",
        int(requests),
        int(micros) / 1e6,
        float(p50),
        float(p95),
        float(p99),
        int(status_errors) + int(socket_errors),
        f"{status_errors} non-2xx/3xx, {socket_errors} socket errors",
    )


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked); return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(port: int, token: str, paths: list[str], latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for path in paths:
            request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n\r\n"
            start = time.perf_counter()
            writer.write(request.encode())
            status = await asyncio.wait_for(_read_response(reader), TIMEOUT)
            latencies.append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        writer.close()


async def _gather(
    port: int, token: str, paths: list[str], clients: int
) -> tuple[float, list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    shares = [paths[i::clients] for i in range(clients)]
    start = time.perf_counter()
    await asyncio.gather(*(_client(port, token, share, latencies, errors) for share in shares if share))
    return time.perf_counter() - start, latencies, errors


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p))] if sorted_ms else 0.0


def run_python(port: int, token: str, paths: list[str], clients: int) -> Figures:
    """Every path once, from ``clients`` asyncio connections in this process."""
    seconds, latencies, errors = asyncio.run(_gather(port, token, paths, clients))
    latencies.sort()
    p50, p95, p99 = (percentile(latencies, p) for p in (0.50, 0.95, 0.99))
    return Figures("python", len(latencies), seconds, p50, p95, p99, len(errors), "; ".join(errors[:3]))


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (every thread), from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu_ms(pid: int, port: int, token: str, paths: list[str]) -> tuple[float, float]:
    """The server's CPU ms per request and the wall ms per request over ``paths``, sent one by one."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        cpu0, wall0 = server_cpu_seconds(pid), time.perf_counter()
        for path in paths:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{response.status} {path}")
        cpu1, wall1 = server_cpu_seconds(pid), time.perf_counter()
    finally:
        conn.close()
    return (cpu1 - cpu0) * 1000 / len(paths), (wall1 - wall0) * 1000 / len(paths)
