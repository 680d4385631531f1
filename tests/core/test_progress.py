"""Command-line progress: plain lines when the output is not a terminal."""

from __future__ import annotations

import io

from longcheng.core.progress import cli_progress


def test_piped_output_is_plain_lines() -> None:
    """Piped, progress prints a short line per 10 % step or status change, no bar codes."""
    out = io.StringIO()
    with cli_progress("导入", stream=out) as report:
        for pct in range(0, 101, 5):
            report(pct, "进行中" if pct < 100 else "完成")
    lines = out.getvalue().splitlines()
    assert lines[0] == "导入：0% 进行中"
    assert lines[-1] == "导入：100% 完成"
    assert len(lines) == 11
    assert "\x1b" not in out.getvalue()
