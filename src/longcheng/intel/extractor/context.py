"""What a sentence says around its amounts: events, plans, names, places and dates.

``SentenceContext`` is computed once per sentence that holds an amount (sentences without money
are never analysed, which keeps the whole pipeline fast), then each amount picks from it what is
nearest to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from longcheng.intel.extractor.cues import EVENT_RE, EVENT_WORDS, PLAN_RE
from longcheng.intel.extractor.dates import DateMention, find_dates
from longcheng.intel.extractor.gazetteer import PlaceMatcher, PlaceMention
from longcheng.intel.extractor.names import KnownNames, NameMention, find_orgs, find_projects


@dataclass(frozen=True)
class EventMention:
    event: str
    start: int
    end: int
    planned: bool


@dataclass(frozen=True)
class SentenceContext:
    span: tuple[int, int]
    events: tuple[EventMention, ...]
    plans: tuple[int, ...]  # offsets of plan words (预计, 力争, 达产后 …)
    orgs: tuple[NameMention, ...]
    projects: tuple[NameMention, ...]
    places: tuple[PlaceMention, ...]
    dates: tuple[DateMention, ...]

    def plan_between(self, start: int, end: int) -> bool:
        return any(start <= p < end for p in self.plans)


def analyse(
    text: str,
    span: tuple[int, int],
    *,
    published: date | None,
    known: KnownNames,
    places: PlaceMatcher,
) -> SentenceContext:
    start, end = span
    plans = tuple(m.start() for m in PLAN_RE.finditer(text, start, end))
    events = tuple(_events(text, start, end, plans))
    return SentenceContext(
        span=span,
        events=events,
        plans=plans,
        orgs=tuple(_merge(known.find(text, start, end) if known else [], find_orgs(text, start, end))),
        projects=tuple(find_projects(text, start, end)),
        places=tuple(places.find(text, start, end)),
        dates=tuple(find_dates(text, start, end, published)),
    )


def _events(text: str, start: int, end: int, plans: tuple[int, ...]) -> Iterable[EventMention]:
    for m in EVENT_RE.finditer(text, start, end):
        after = text.startswith("后", m.end())
        planned = after or any(p < m.start() for p in plans)
        yield EventMention(EVENT_WORDS[m.group()], m.start(), m.end(), planned)


def _merge(known: list[NameMention], found: list[NameMention]) -> list[NameMention]:
    """Known names first; a suffix-rule name overlapping a known one is dropped."""
    merged = list(known)
    for mention in found:
        if not any(mention.start < k.end and k.start < mention.end for k in known):
            merged.append(mention)
    return sorted(merged, key=lambda m: m.start)


def nearest_before_or_after(mentions: Iterable[NameMention], start: int, end: int) -> NameMention | None:
    """The mention ending last before ``start``, else the first starting after ``end``."""
    before = [m for m in mentions if m.end <= start]
    if before:
        return max(before, key=lambda m: m.end)
    after = [m for m in mentions if m.start >= end]
    return min(after, key=lambda m: m.start) if after else None


def nearest(mentions: Iterable[NameMention], start: int, end: int) -> NameMention | None:
    """The mention closest to ``[start, end)`` on either side."""

    def distance(m: NameMention) -> int:
        return start - m.end if m.end <= start else max(0, m.start - end)

    candidates = list(mentions)
    return min(candidates, key=distance) if candidates else None
