"""Quality of the intel extractor on the hand-labelled corpus facts.

Usage: .venv/bin/python bench/intel_quality.py [--verbose]

Reads ../shared/corpus/*.txt (beside the repository) and tests/intel/extractor/labels/*.yaml, runs the
extractor and prints money precision/recall, precision/recall per kind and per event, and how
often value, qualifier, kind and event agree with the label among the amounts found.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from longcheng.intel.extractor import Extractor
from longcheng.intel.extractor.evaluate import evaluate, load_labels

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
LABELS = ROOT / "tests" / "intel" / "extractor" / "labels"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list misses, false alarms and disagreements")
    args = parser.parse_args()
    labels = load_labels(LABELS)
    extractor = Extractor()
    predictions = {
        path.name: extractor.extract(path.read_text("utf-8")) for path in sorted(CORPUS.glob("*.txt"))
    }
    report = evaluate(labels, predictions)
    m = report.money
    print(f"labelled money facts: {len(labels)}, found: {m.tp + m.fp}, matched: {m.tp}")
    print(f"money      precision {m.precision:.3f}  recall {m.recall:.3f}   (target >= 0.95)")
    for title, scores in (("kind", report.kinds), ("event", report.events)):
        for name, s in scores.items():
            counts = f"(tp {s.tp}, fp {s.fp}, fn {s.fn})"
            print(f"{title:5} {name:11} precision {s.precision:.3f}  recall {s.recall:.3f}  {counts}")
    for what in ("value", "qualifier", "kind", "event"):
        target = "   (target >= 0.9)" if what in ("qualifier", "kind") else ""
        print(f"{what:9} right for {report.rate(what):.3f} of the found amounts{target}")
    if args.verbose:
        for label in report.missed:
            print("MISSED   ", label.file[:3], label.start, label.text)
        for file, fact in report.spurious:
            print("SPURIOUS ", file[:3], fact.span, fact.amount.text, fact.cue)
        for file, label, fact in report.disagreements:
            print(
                "DIFFERS  ",
                file[:3],
                label.start,
                label.text,
                "| label",
                label.qualifier,
                label.kind,
                label.event,
                "| found",
                fact.qualifier.value,
                fact.kind,
                fact.event,
                "|",
                fact.cue,
            )


if __name__ == "__main__":
    main()
