"""Ranking quality measures for the bench: MRR@k and nDCG@k over graded judgements."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int], *, k: int = 10) -> float:
    """1/rank of the first relevant item in the first ``k`` (0 when none)."""
    for rank, item in enumerate(ranked[:k], start=1):
        if relevant.get(item, 0) > 0:
            return 1.0 / rank
    return 0.0


def ndcg(ranked: Sequence[str], relevant: Mapping[str, int], *, k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k`` with gains 2^grade - 1."""
    gains = [2 ** relevant.get(item, 0) - 1 for item in ranked[:k]]
    dcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))
    ideal = sorted((2**grade - 1 for grade in relevant.values() if grade > 0), reverse=True)[:k]
    idcg = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


def summary(
    runs: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]], *, k: int = 10
) -> dict[str, float]:
    """Mean MRR@k and nDCG@k over the judged queries."""
    judged = [query for query in qrels if any(grade > 0 for grade in qrels[query].values())]
    if not judged:
        return {"mrr": 0.0, "ndcg": 0.0, "queries": 0}
    mrr = sum(reciprocal_rank(runs.get(q, []), qrels[q], k=k) for q in judged) / len(judged)
    gain = sum(ndcg(runs.get(q, []), qrels[q], k=k) for q in judged) / len(judged)
    return {"mrr": round(mrr, 4), "ndcg": round(gain, 4), "queries": len(judged)}
