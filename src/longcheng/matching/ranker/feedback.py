"""Broker feedback as learned weights: accept/dismiss decisions reweight similar pairs.

A pair is described by a few *feature keys* (the caller builds them; matching uses the field
pair, the capability's organisation within the challenge's field, and the capability's kind
within that field). Each key learns a weight from the decisions that carried it::

    weight(key) = step × (accepted − dismissed) / (accepted + dismissed + prior)

and a pair's score is multiplied by ``1 + Σ weight`` over its keys, clamped to
``[1 − bound, 1 + bound]``. With the defaults (step 0.3, prior 2, bound 0.4) one dismissal
moves a key by −0.1, three dismissals by −0.18, and no amount of feedback can more than
halve or lift a score by 40 %: the lexical evidence always dominates, and a few clicks cannot
bury a capability. Pure: plain data in, plain data out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    """One broker decision on a pair, with the pair's feature keys."""

    keys: tuple[str, ...]
    accepted: bool


@dataclass(frozen=True, slots=True)
class FeedbackWeights:
    """How strongly decisions move scores (documented above; bounds are hard limits)."""

    step: float = 0.3
    prior: float = 2.0
    bound: float = 0.4


class Feedback:
    """Learned per-key weights from the decisions so far."""

    def __init__(self, decisions: Iterable[Decision], weights: FeedbackWeights | None = None) -> None:
        self.weights = weights or FeedbackWeights()
        self.accepted: Counter[str] = Counter()
        self.dismissed: Counter[str] = Counter()
        for decision in decisions:
            (self.accepted if decision.accepted else self.dismissed).update(set(decision.keys))

    def key_weight(self, key: str) -> float:
        a, d = self.accepted[key], self.dismissed[key]
        return self.weights.step * (a - d) / (a + d + self.weights.prior)

    def factor(self, keys: Sequence[str]) -> float:
        """The multiplier of a pair's score, within ``[1 − bound, 1 + bound]``."""
        bound = self.weights.bound
        raw = 1.0 + sum(self.key_weight(k) for k in set(keys))
        return min(1.0 + bound, max(1.0 - bound, raw))

    def explain(self, keys: Sequence[str]) -> str | None:
        """Why the score moved, in Chinese (``None`` when no decision touched these keys)."""
        a = sum(self.accepted[k] for k in set(keys))
        d = sum(self.dismissed[k] for k in set(keys))
        if not a and not d:
            return None
        factor = self.factor(keys)
        trend = "上调" if factor > 1 else ("下调" if factor < 1 else "不变")
        return f"经纪反馈：同类推荐已采纳 {a} 次、忽略 {d} 次，得分{trend}（×{factor:.2f}）"
