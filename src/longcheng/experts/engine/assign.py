"""Stratified, seeded random assignment of N experts per item.

Each item names a field; experts of that field (the stratum) are drawn first, the least
loaded first and, among equals, in the order of the seeded random generator; when the
stratum is short, experts of other fields fill the gap (marked ``in_field=False``); when the
whole pool is short, the item records how many are missing. Excluded experts (conflicts of
interest, away) are never drawn. The same seed and inputs give the same draw.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
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


def _pick(ids: Iterable[int], n: int, skip: set[int], load: dict[int, int], rng: random.Random) -> list[int]:
    keyed = [(load[i], rng.random(), i) for i in ids if i not in skip]
    keyed.sort()
    return [i for _, _, i in keyed[:n]]


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
    everyone = [c.expert_id for c in ordered]
    load: dict[int, int] = dict.fromkeys(everyone, 0)
    result = Draw(seed)
    for item in items:
        skip = set(item.excluded)
        chosen = _pick(by_field.get(item.field, []), per_item, skip, load, rng)
        result.picks += [Pick(item.ref, i, True) for i in chosen]
        if len(chosen) < per_item:
            skip.update(chosen)
            extra = _pick(everyone, per_item - len(chosen), skip, load, rng)
            result.picks += [Pick(item.ref, i, False) for i in extra]
            chosen += extra
        if len(chosen) < per_item:
            result.short[item.ref] = per_item - len(chosen)
        for i in chosen:
            load[i] += 1
    return result
