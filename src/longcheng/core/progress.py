"""Progress of long command-line work: a ``rich`` bar on a terminal, plain lines when piped.

Use it in any long command (imports, ingest, batch, report, backup)::

    with cli_progress("导入机构") as report:
        for i, chunk in enumerate(chunks):
            ...
            report(100 * (i + 1) // len(chunks), f"已导入 {n} 行")

On a terminal (``isatty``) a bar redraws in place; piped into a file or a log it prints one
line each time the percentage moves by ``step`` or the status text changes, so logs stay short.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

Report = Callable[[int, str], None]


def _plain(label: str, stream: TextIO, step: int) -> Report:
    last: list[object] = [-step, None]

    def report(pct: int, status: str) -> None:
        if pct - int(str(last[0])) >= step or status != last[1] or pct >= 100 > int(str(last[0])):
            stream.write(f"{label}：{pct}% {status}\n")
            stream.flush()
            last[0], last[1] = pct, status

    return report


@contextmanager
def cli_progress(label: str, *, stream: TextIO | None = None, step: int = 10) -> Iterator[Report]:
    """Yield ``report(pct, status)``; draws a bar on a TTY and plain lines otherwise."""
    out = stream or sys.stdout
    if not out.isatty():
        yield _plain(label, out, step)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[status]}"),
    )
    with Progress(*columns, console=Console(file=out)) as bar:
        task = bar.add_task(label, total=100, status="")

        def report(pct: int, status: str) -> None:
            bar.update(task, completed=pct, status=status)

        yield report
