"""The comparison baseline: character-bigram TF-IDF with cosine similarity.

Deliberately plain (no segmentation, no taxonomy): the bench reports it beside the ranker.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from longcheng.matching.ranker import text as textmod
from longcheng.matching.ranker.model import Doc, Match


def _bigrams(doc: Doc) -> Counter[str]:
    folded = textmod.fold(f"{doc.title} {doc.text}")
    return Counter(folded[i : i + 2] for i in range(len(folded) - 1) if not folded[i : i + 2].isspace())


class TfidfBaseline:
    """Cosine similarity of tf-idf vectors of character bigrams."""

    def __init__(self, capabilities: Sequence[Doc]) -> None:
        self.docs = list(capabilities)
        counts = [_bigrams(doc) for doc in self.docs]
        df: Counter[str] = Counter()
        for count in counts:
            df.update(count.keys())
        size = len(self.docs)
        self.idf = {gram: math.log((1 + size) / (1 + n)) + 1.0 for gram, n in df.items()}
        self.vectors = [self._vector(count) for count in counts]

    def _vector(self, count: Counter[str]) -> dict[str, float]:
        vector = {gram: tf * self.idf.get(gram, 0.0) for gram, tf in count.items()}
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {gram: value / norm for gram, value in vector.items()}

    def rank(self, challenge: Doc, *, top: int = 10) -> list[Match]:
        query = self._vector(_bigrams(challenge))
        scored = []
        for doc, vector in zip(self.docs, self.vectors, strict=True):
            score = sum(weight * vector.get(gram, 0.0) for gram, weight in query.items())
            if score > 0:
                scored.append((score, doc.id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [Match(id=doc_id, score=round(score, 6), why=[]) for score, doc_id in scored[:top]]
