"""Stratified, seeded random assignment of N experts per item.

Each item names a field; experts of that field (the stratum) are drawn first, in turn from a
seeded shuffle of the stratum (a rotating queue, so the load spreads evenly and each item
costs a few steps, not a pass over the pool); when the stratum is short, experts of other
fields fill the gap (marked ``in_field=False``); when the whole pool is short, the item
records how many are missing. Excluded experts (conflicts of
interest, away) are never drawn. The same seed and inputs give the same draw.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    expert_id: int
    fields: frozenset[str]


@dataclass(frozen=True)
class Item:
    ref: str
    field: str
    excluded: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Pick:
    ref: str
    expert_id: int
    in_field: bool


@dataclass
class Draw:
    seed: int
    picks: list[Pick] = field(default_factory=list)
    short: dict[str, int] = field(default_factory=dict)


def _take(queue: deque[int] | None, n: int, skip: set[int]) -> list[int]:
    """Up to ``n`` experts from the front of the rotating ``queue``, skipping ``skip``; every
    expert looked at goes to the back, so the next item starts where this one stopped."""
    chosen: list[int] = []
    if not queue:
        return chosen
    for _ in range(len(queue)):
        if len(chosen) == n:
            break
        expert = queue[0]
        queue.rotate(-1)
        if expert not in skip and expert not in chosen:
            chosen.append(expert)
    return chosen


def draw(items: list[Item], pool: list[Candidate], *, per_item: int, seed: int) -> Draw:
    """Assign ``per_item`` experts to each item in order; see the module docstring."""
    if per_item < 1:
        raise ValueError("per_item must be at least 1")
    rng = random.Random(seed)
    ordered = sorted(pool, key=lambda c: c.expert_id)
    by_field: dict[str, list[int]] = defaultdict(list)
    for c in ordered:
        for f in sorted(c.fields):
            by_field[f].append(c.expert_id)
    queues: dict[str, deque[int]] = {}
    for f in sorted(by_field):
        ids = by_field[f]
        rng.shuffle(ids)
        queues[f] = deque(ids)
    everyone = [c.expert_id for c in ordered]
    rng.shuffle(everyone)
    anyone = deque(everyone)
    result = Draw(seed)
    for item in items:
        skip = set(item.excluded)
        chosen = _take(queues.get(item.field), per_item, skip)
        result.picks += [Pick(item.ref, i, True) for i in chosen]
        if len(chosen) < per_item:
            extra = _take(anyone, per_item - len(chosen), skip | set(chosen))
            result.picks += [Pick(item.ref, i, False) for i in extra]
            chosen += extra
        if len(chosen) < per_item:
            result.short[item.ref] = per_item - len(chosen)
    return result
