"""Every bench script starts and finishes at a tiny size (``make bench-smoke``), so benches cannot rot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_make_bench_smoke_runs_every_bench_script() -> None:
    """``make bench-smoke`` exits 0: each bench runs at a tiny size and none is left off the list."""
    done = subprocess.run(
        # -o: never reinstall the virtualenv from inside the suite; BIN: this interpreter's folder.
        ["make", "-s", "-o", ".venv/.installed", "bench-smoke", f"BIN={Path(sys.executable).parent}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "bench smoke failed" not in done.stdout
