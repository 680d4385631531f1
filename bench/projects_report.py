"""Benchmark: the monthly 督查专报 for 10,000 projects, as XLSX and PDF.

Run: .venv/bin/python bench/projects_report.py [--projects 10000] [--out DIR]
Target (issue 5): < 30 s for XLSX and PDF together. The files stay in DIR to look at.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from projects_fake import make_report  # noqa: E402

from longcheng.projects.report.gather import summarize  # noqa: E402
from longcheng.projects.report.pdf import write_pdf  # noqa: E402
from longcheng.projects.report.xlsx import write_xlsx  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/longcheng-report"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    report = make_report(args.projects)
    xlsx_path = args.out / f"督查专报-{report.month}.xlsx"
    pdf_path = args.out / f"督查专报-{report.month}.pdf"
    t0 = time.perf_counter()
    summary = summarize(report)
    t1 = time.perf_counter()
    write_xlsx(report, xlsx_path, summary)
    t2 = time.perf_counter()
    write_pdf(report, pdf_path, summary, xlsx_name=xlsx_path.name)
    t3 = time.perf_counter()
    print(f"projects={args.projects} month={report.month}")
    print(f"summary: {t1 - t0:.2f} s")
    print(f"xlsx: {t2 - t1:.2f} s ({xlsx_path.stat().st_size / 1e6:.1f} MB) -> {xlsx_path}")
    print(f"pdf: {t3 - t2:.2f} s ({pdf_path.stat().st_size / 1e3:.0f} kB) -> {pdf_path}")
    print(f"total: {t3 - t0:.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
