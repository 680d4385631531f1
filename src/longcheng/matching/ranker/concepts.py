"""The field taxonomy and its concepts, loaded from ``data/concepts.yaml``.

A concept is a group of terms that name the same thing (or a problem and the technique that
answers it). A text carries a concept when it contains one of the concept's terms: Chinese
terms by substring, Latin terms (voc, rto, igbt) as whole words only, so that "ai" is not
found inside "detail".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from longcheng.matching.ranker import text as textmod


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept: its id ``field/name``, its field and its terms."""

    id: str
    field: str
    name: str
    terms: tuple[str, ...]


class Taxonomy:
    """Fields, concepts and a term → concepts lookup."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = {concept.id: concept for concept in concepts}
        self.fields = sorted({concept.field for concept in concepts})
        self._han: dict[str, list[str]] = {}
        self._latin: dict[str, list[str]] = {}
        for concept in concepts:
            for term in concept.terms:
                table = self._latin if term.isascii() else self._han
                table.setdefault(term, []).append(concept.id)
        self._han_by_first: dict[str, list[str]] = {}
        for term in self._han:
            self._han_by_first.setdefault(term[0], []).append(term)

    def han_terms(self) -> list[str]:
        """The Chinese terms, for the segmenter's dictionary."""
        return list(self._han)

    def matches(self, folded: str) -> dict[str, list[str]]:
        """Concept id → the terms of it found in a folded text."""
        found: dict[str, list[str]] = {}
        starts = {ch for ch in folded if ch in self._han_by_first}
        for first in starts:
            for term in self._han_by_first[first]:
                if term in folded:
                    for concept_id in self._han[term]:
                        found.setdefault(concept_id, []).append(term)
        for word in textmod.ascii_words(folded):
            for concept_id in self._latin.get(word, ()):
                found.setdefault(concept_id, []).append(word)
        return found

    def field_of(self, label: str | None) -> str | None:
        """The taxonomy field a free-text field label names (新材料/石墨烯 → 新材料)."""
        if not label:
            return None
        folded = textmod.fold(label)
        for field in self.fields:
            if field.lower() in folded:
                return field
        hits = self.matches(folded)
        if hits:
            return self.concepts[next(iter(sorted(hits)))].field
        return None


def _parse(raw: dict[str, dict[str, dict[str, list[str]]]]) -> list[Concept]:
    concepts = []
    for field, groups in raw["fields"].items():
        for name, terms in groups.items():
            folded = tuple(dict.fromkeys(textmod.fold(str(term)) for term in terms if str(term).strip()))
            concepts.append(Concept(id=f"{field}/{name}", field=field, name=name, terms=folded))
    return concepts


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped with the package."""
    source = resources.files("longcheng.matching.ranker").joinpath("data/concepts.yaml")
    taxonomy = Taxonomy(_parse(yaml.safe_load(source.read_text(encoding="utf-8"))))
    textmod.add_words(taxonomy.han_terms())
    return taxonomy
