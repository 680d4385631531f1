"""The lexical ranker: BM25 over words, character bigrams and taxonomy concepts, fused.

Each channel's scores are divided by that query's best score before they are weighted and
summed, so the weights mean the same for short and long texts. A same-field bonus rewards a
capability in the challenge's field (given, or inferred from the concepts found).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from longcheng.matching.ranker import text as textmod
from longcheng.matching.ranker.bm25 import Bm25, FloatArray
from longcheng.matching.ranker.concepts import Taxonomy, default_taxonomy
from longcheng.matching.ranker.model import Doc, Match


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each channel counts (tuned on the dev set, see bench/matching_rank.py)."""

    words: float = 1.0
    bigrams: float = 0.7
    concepts: float = 0.9
    field: float = 0.1
    concept_k1: float = 0.5


@dataclass(frozen=True, slots=True)
class Analysed:
    """A text cut into the ranker's terms."""

    folded: str
    words: list[str]
    bigrams: list[str]
    concepts: dict[str, list[str]]
    field: str | None


def analyse(doc: Doc, taxonomy: Taxonomy) -> Analysed:
    """Fold a document and cut it into words, bigrams and concepts; the title counts twice."""
    title = textmod.fold(doc.title)
    body = textmod.fold(doc.text)
    folded = f"{title} {body}"
    concepts = taxonomy.matches(folded)
    field = taxonomy.field_of(doc.field)
    if field is None and concepts:
        field = Counter(
            taxonomy.concepts[cid].field for cid, terms in concepts.items() for _ in terms
        ).most_common(1)[0][0]
    return Analysed(
        folded=folded,
        words=textmod.words(title) * 2 + textmod.words(body),
        bigrams=textmod.bigrams(title) * 2 + textmod.bigrams(body),
        concepts=concepts,
        field=field,
    )


def _concept_terms(analysed: Analysed) -> list[str]:
    return [cid for cid, terms in analysed.concepts.items() for _ in terms]


def _normalised(scores: FloatArray) -> FloatArray:
    best = float(scores.max()) if scores.size else 0.0
    return scores / np.float32(best) if best > 0 else scores


class Ranker:
    """Ranks a fixed set of documents (capabilities, or challenges) for a query document."""

    def __init__(
        self, documents: Sequence[Doc], *, taxonomy: Taxonomy | None = None, weights: Weights | None = None
    ) -> None:
        self.taxonomy = taxonomy or default_taxonomy()
        self.weights = weights or Weights()
        self.docs = list(documents)
        analysed = [analyse(doc, self.taxonomy) for doc in self.docs]
        self.words = Bm25([item.words for item in analysed])
        self.bigrams = Bm25([item.bigrams for item in analysed])
        self.concepts = Bm25([_concept_terms(item) for item in analysed], k1=self.weights.concept_k1, b=0.3)
        self.fields = np.array([item.field or "" for item in analysed], dtype=object)

    def scores(self, query: Analysed) -> FloatArray:
        """The fused score of every document for an analysed query."""
        w = self.weights
        total = w.words * _normalised(self.words.scores(query.words))
        total += w.bigrams * _normalised(self.bigrams.scores(query.bigrams))
        total += w.concepts * _normalised(self.concepts.scores(list(query.concepts)))
        if query.field and w.field:
            total += np.float32(w.field) * (self.fields == query.field).astype(np.float32) * (total > 0)
        return total

    def rank(self, query_doc: Doc, *, top: int = 10) -> list[Match]:
        """The ``top`` best documents for ``query_doc``, each with why it matched."""
        query = analyse(query_doc, self.taxonomy)
        total = self.scores(query)
        if not total.size:
            return []
        top = min(top, total.size)
        best = np.argpartition(-total, top - 1)[:top]
        order = sorted(
            (int(i) for i in best if total[i] > 0), key=lambda i: (-float(total[i]), self.docs[i].id)
        )
        return [
            Match(id=self.docs[i].id, score=round(float(total[i]), 6), why=self.explain(query, i))
            for i in order
        ]

    def explain(self, query: Analysed, index: int) -> list[str]:
        """Why document ``index`` matched: shared words, shared concepts, field (in Chinese)."""
        doc = analyse(self.docs[index], self.taxonomy)
        why: list[str] = []
        shared = sorted(set(query.words) & set(doc.words), key=lambda word: (-self.words.idf(word), word))
        if shared:
            why.append("共同词：" + "、".join(shared[:6]))
        for cid in sorted(set(query.concepts) & set(doc.concepts), key=lambda c: -self.concepts.idf(c))[:3]:
            concept = self.taxonomy.concepts[cid]
            ours = "、".join(dict.fromkeys(query.concepts[cid]))
            theirs = "、".join(dict.fromkeys(doc.concepts[cid]))
            why.append(f"同一概念「{concept.name}」：{ours} ↔ {theirs}")
        if query.field and query.field == doc.field:
            why.append(f"同属领域：{query.field}")
        return why
