"""Scoring the extractor against hand-labelled money facts (``tests/intel/extractor/labels/*.yaml``).

A predicted fact matches a label when their amount spans overlap in the same file. Money
precision and recall count matches; per kind (and per event) a prediction is a true positive
only when it matches a label of that kind (event). Among matched facts, the report gives how
often the value, qualifier, kind and event agree with the label.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from longcheng.intel.extractor.engine import EVENTS, KINDS, Fact


@dataclass(frozen=True)
class Label:
    file: str
    start: int
    end: int
    low: int  # yuan
    high: int
    currency: str
    qualifier: str
    kind: str
    event: str | None
    text: str


def load_labels(folder: Path) -> list[Label]:
    """Every labelled fact in the YAML files of ``folder``."""
    labels: list[Label] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for row in data["facts"]:
            low = int(row.get("low", row.get("value", 0)))
            high = int(row.get("high", row.get("value", 0)))
            start, end = row["span"]
            labels.append(
                Label(data["file"], start, end, low, high, row["currency"], row["qualifier"], row["kind"],
                      row["event"], row["text"])
            )  # fmt: skip
    return labels


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    money: Score = field(default_factory=Score)
    kinds: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in KINDS})
    events: dict[str, Score] = field(default_factory=lambda: {e: Score() for e in EVENTS})
    agree: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("value", "qualifier", "kind", "event"), 0)
    )
    missed: list[Label] = field(default_factory=list)
    spurious: list[tuple[str, Fact]] = field(default_factory=list)
    disagreements: list[tuple[str, Label, Fact]] = field(default_factory=list)

    def rate(self, what: str) -> float:
        """Share of matched facts whose ``what`` (value, qualifier, kind, event) agrees with the label."""
        return self.agree[what] / self.money.tp if self.money.tp else 1.0


def _overlaps(label: Label, fact: Fact) -> bool:
    start, end = fact.span
    return start < label.end and label.start < end


def _count(scores: dict[str, Score], predicted: str | None, expected: str | None) -> None:
    if predicted == expected and predicted is not None:
        scores[predicted].tp += 1
        return
    if predicted is not None:
        scores[predicted].fp += 1
    if expected is not None:
        scores[expected].fn += 1


def _compare(report: Report, file: str, label: Label, fact: Fact) -> None:
    report.money.tp += 1
    value = (fact.amount.low_fen, fact.amount.high_fen, fact.currency) == (label.low * 100, label.high * 100,
                                                                           label.currency)  # fmt: skip
    checks = {
        "value": value,
        "qualifier": fact.qualifier.value == label.qualifier,
        "kind": fact.kind == label.kind,
        "event": fact.event == label.event,
    }
    for what, ok in checks.items():
        report.agree[what] += ok
    if not all(checks.values()):
        report.disagreements.append((file, label, fact))
    _count(report.kinds, fact.kind, label.kind)
    _count(report.events, fact.event, label.event)


def evaluate(labels: Sequence[Label], predictions: Mapping[str, Iterable[Fact]]) -> Report:
    """Score ``predictions`` (facts per file name) against ``labels``."""
    report = Report()
    by_file: dict[str, list[Label]] = {}
    for label in labels:
        by_file.setdefault(label.file, []).append(label)
    for file in sorted(set(by_file) | set(predictions)):
        remaining = list(by_file.get(file, []))
        for fact in predictions.get(file, ()):
            matched = next((lb for lb in remaining if _overlaps(lb, fact)), None)
            if matched is None:
                report.money.fp += 1
                report.spurious.append((file, fact))
                _count(report.kinds, fact.kind, None)
                _count(report.events, fact.event, None)
                continue
            remaining.remove(matched)
            _compare(report, file, matched, fact)
        for label in remaining:
            report.money.fn += 1
            report.missed.append(label)
            _count(report.kinds, None, label.kind)
            _count(report.events, None, label.event)
    return report
