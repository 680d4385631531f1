"""The organisation directory: registry names indexed for matching names from the news.

:class:`OrgDirectory` is built once from the registry's names (current and former) and answers
:meth:`OrgDirectory.match` for a name found in a sentence with scored candidates:

* the registry name itself → ``exact``, score 100, linked automatically;
* a former name (曾用名) → ``former_name``, score 100, linked automatically;
* a fuzzy match on the name's core — without the leading region (常州市, 江苏, 溧阳) and the legal form
  (有限公司, 股份有限公司, 集团 …): "中天钢铁集团" and "中天钢铁集团有限公司" share the core
  "中天钢铁". A single candidate whose core is identical, or scores at least
  :data:`AUTO_SCORE` with no rival within :data:`AUTO_MARGIN`, is linked automatically; other
  candidates down to :data:`PROPOSE_SCORE` wait in the review queue (待确认).

Candidates for the fuzzy step come from an inverted index of character bigrams of the cores, so
a registry of 100,000 names costs a few dictionary look-ups per mention; the final score is
``difflib.SequenceMatcher`` over the cores (stdlib, no dependency).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

AUTO_SCORE = 92
AUTO_MARGIN = 8
PROPOSE_SCORE = 70
MAX_PROPOSALS = 3
_MIN_CORE = 2
_SHORTLIST = 12
_GRAMS = 6  # bigrams of a name counted to find candidates, rarest first
_COMMON = 1500  # a bigram in more names than this is not counted

_REGION_PREFIX = re.compile(r"^(?:中国|江苏省?|常州市?|(?:天宁|钟楼|新北|武进|金坛|溧阳)[区市]?)+")
_INNER_REGION = re.compile(r"\((?:常州|江苏|中国)\)")
_LEGAL_SUFFIX = re.compile(
    r"(?:集团股份有限公司|集团有限责任公司|集团有限公司|股份有限公司|有限责任公司|有限公司|股份公司|集团公司|集团|公司)$"
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class OrgName:
    """A registry organisation's names: what the directory is built from."""

    uscc: str
    name: str
    former_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible registry organisation for a mention; ``auto`` means link without review."""

    uscc: str
    name: str
    method: str  # exact, former_name, fuzzy
    score: int
    auto: bool


def normalise(name: str) -> str:
    """NFKC (full-width brackets and letters), no white space."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))


def core(name: str) -> str:
    """The distinctive part of a name: region prefix, (常州) and legal form removed."""
    text = _INNER_REGION.sub("", normalise(name))
    stripped = _REGION_PREFIX.sub("", text)
    stripped = _LEGAL_SUFFIX.sub("", stripped)
    return stripped if len(stripped) >= _MIN_CORE else text


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class OrgDirectory:
    """Registry names indexed for :meth:`match`; build once per run, reuse for every fact."""

    def __init__(self, orgs: Iterable[OrgName]) -> None:
        self._names: dict[str, list[OrgName]] = {}
        self._former: dict[str, list[OrgName]] = {}
        self._cores: list[tuple[str, OrgName]] = []
        self._grams: dict[str, list[int]] = {}
        for org in orgs:
            self._names.setdefault(normalise(org.name), []).append(org)
            for former in org.former_names:
                self._former.setdefault(normalise(former), []).append(org)
            for variant in (org.name, *org.former_names):
                self._add_core(core(variant), org)

    def _add_core(self, key: str, org: OrgName) -> None:
        position = len(self._cores)
        self._cores.append((key, org))
        for gram in _bigrams(key):
            self._grams.setdefault(gram, []).append(position)

    def __len__(self) -> int:
        return len({o.uscc for _, o in self._cores})

    def names(self) -> list[str]:
        """Every current and former name: the extractor's ``known_orgs``."""
        return [*self._names, *self._former]

    def match(self, mention: str) -> list[Candidate]:
        """Candidates for ``mention``, best first; empty when nothing is close enough."""
        key = normalise(mention)
        if not key:
            return []
        exact = self._exact(key)
        if exact:
            return exact
        return self._fuzzy(core(key))

    def _exact(self, key: str) -> list[Candidate]:
        for table, method in ((self._names, "exact"), (self._former, "former_name")):
            found = {o.uscc: o for o in table.get(key, ())}
            if found:
                unique = len(found) == 1
                return [
                    Candidate(o.uscc, o.name, method, 100 if unique else 90, unique) for o in found.values()
                ]
        return []

    def _shortlist(self, key: str) -> list[tuple[str, OrgName]]:
        """Registry cores sharing at least half of the key's informative bigrams.

        Bigrams held by very many names (科技, 新能, 有限) say little and would cost a walk over
        tens of thousands of postings: the rarest :data:`_GRAMS` bigrams are counted instead.
        """
        grams = sorted(_bigrams(key), key=lambda g: (len(self._grams.get(g, ())), g))[:_GRAMS]
        hits: Counter[int] = Counter()
        counted = 0
        for gram in grams:
            postings = self._grams.get(gram, ())
            if len(postings) > _COMMON:
                break
            counted += 1
            for position in postings:
                hits[position] += 1
        need = max(1, counted // 2)
        ranked = sorted((-n, p) for p, n in hits.items() if n >= need)[: _SHORTLIST * 4]
        return [self._cores[p] for _, p in ranked]

    def _fuzzy(self, key: str) -> list[Candidate]:
        if len(key) < _MIN_CORE:
            return []
        best: dict[str, tuple[int, OrgName, bool]] = {}
        for other, org in self._shortlist(key):
            identical = other == key
            score = 95 if identical else round(SequenceMatcher(None, key, other).ratio() * 100)
            if score >= PROPOSE_SCORE and (org.uscc not in best or best[org.uscc][0] < score):
                best[org.uscc] = (score, org, identical)
        ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].name))[:MAX_PROPOSALS]
        if not ranked:
            return []
        top, runner_up = ranked[0], ranked[1][0] if len(ranked) > 1 else 0
        confident = (top[2] or top[0] >= AUTO_SCORE) and top[0] - runner_up >= AUTO_MARGIN
        return [
            Candidate(org.uscc, org.name, "fuzzy", score, confident and i == 0)
            for i, (score, org, _) in enumerate(ranked)
        ]
