"""Rubrics kept as data, score validation, weighted totals, and aggregation of several experts.

Aggregation drops the single highest and the single lowest total when five or more experts
scored (N ≥ 5), then averages the rest; below five every total counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources

import yaml

DROP_EXTREMES_FROM = 5


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    weight: int
    min: int
    max: int


@dataclass(frozen=True)
class Rubric:
    code: str
    label: str
    criteria: tuple[Criterion, ...]

    @property
    def max_total(self) -> int:
        return sum(c.weight * c.max for c in self.criteria)


@dataclass(frozen=True)
class ScoreProblem:
    criterion: str
    message: str


@dataclass(frozen=True)
class Aggregate:
    count: int
    totals: tuple[int, ...]
    kept: tuple[int, ...]
    dropped: tuple[int, ...]
    mean: Decimal | None


def parse(data: dict[str, object]) -> dict[str, Rubric]:
    raw = data.get("rubrics")
    if not isinstance(raw, list):
        raise ValueError("rubrics: 'rubrics' must be a list")
    out: dict[str, Rubric] = {}
    for r in raw:
        criteria = tuple(
            Criterion(str(c["code"]), str(c["label"]), int(c["weight"]), int(c["min"]), int(c["max"]))
            for c in r["criteria"]
        )
        for c in criteria:
            if c.min > c.max or c.weight < 1:
                raise ValueError(f"rubric {r['code']}: criterion {c.code} has a bad range or weight")
        out[str(r["code"])] = Rubric(str(r["code"]), str(r["label"]), criteria)
    return out


@cache
def rubrics() -> dict[str, Rubric]:
    text = resources.files("longcheng.experts.data").joinpath("rubrics.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))


def check(rubric: Rubric, scores: dict[str, int]) -> list[ScoreProblem]:
    """Every problem with ``scores``: a missing or unknown criterion, a value out of range."""
    problems: list[ScoreProblem] = []
    known = {c.code for c in rubric.criteria}
    for code in sorted(set(scores) - known):
        problems.append(ScoreProblem(code, "评分细则中没有该评分项"))
    for c in rubric.criteria:
        value = scores.get(c.code)
        if value is None:
            problems.append(ScoreProblem(c.code, f"请为“{c.label}”打分"))
        elif not c.min <= value <= c.max:
            problems.append(ScoreProblem(c.code, f"“{c.label}”的分值须在 {c.min}–{c.max} 之间"))
    return problems


def total(rubric: Rubric, scores: dict[str, int]) -> int:
    return sum(c.weight * scores[c.code] for c in rubric.criteria)


def aggregate(totals: list[int]) -> Aggregate:
    """Mean of the totals, the highest and lowest dropped when there are five or more."""
    ordered = sorted(totals)
    dropped: tuple[int, ...] = ()
    kept = ordered
    if len(ordered) >= DROP_EXTREMES_FROM:
        kept, dropped = ordered[1:-1], (ordered[0], ordered[-1])
    mean = None
    if kept:
        mean = (Decimal(sum(kept)) / len(kept)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Aggregate(len(ordered), tuple(totals), tuple(kept), tuple(dropped), mean)
