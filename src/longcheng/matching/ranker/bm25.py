"""An in-memory BM25 index over one kind of term, with numpy postings.

Each posting stores its precomputed BM25 term-frequency part, so scoring a query is a
handful of vectorised ``scores[docs] += idf * weight`` steps: fast enough for one query over
100,000 documents in a few milliseconds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


class Bm25:
    """BM25 (Okapi, k1 and b) over documents given as lists of terms."""

    def __init__(self, documents: Sequence[Sequence[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        lengths = np.array([len(terms) for terms in documents], dtype=np.float32)
        average = float(lengths.mean()) if self.size and lengths.sum() else 1.0
        norms = k1 * (1.0 - b + b * lengths / average)
        collected: dict[str, tuple[list[int], list[float]]] = {}
        for doc, terms in enumerate(documents):
            norm = float(norms[doc])
            for term, tf in Counter(terms).items():
                ids, weights = collected.setdefault(term, ([], []))
                ids.append(doc)
                weights.append(tf * (k1 + 1.0) / (tf + norm))
        self._postings: dict[str, tuple[npt.NDArray[np.int32], FloatArray]] = {}
        self._idf: dict[str, float] = {}
        for term, (ids, weights) in collected.items():
            self._postings[term] = (np.array(ids, dtype=np.int32), np.array(weights, dtype=np.float32))
            df = len(ids)
            self._idf[term] = math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """Inverse document frequency of a term (0 for an unknown term)."""
        return self._idf.get(term, 0.0)

    def scores(self, terms: Sequence[str], weights: Sequence[float] | None = None) -> FloatArray:
        """BM25 score of every document for the query terms (each counted once)."""
        out = np.zeros(self.size, dtype=np.float32)
        seen: set[str] = set()
        for index, term in enumerate(terms):
            if term in seen or term not in self._postings:
                continue
            seen.add(term)
            ids, tfw = self._postings[term]
            boost = weights[index] if weights is not None else 1.0
            out[ids] += np.float32(self._idf[term] * boost) * tfw
        return out
