"""The extractor: plain text (and its publication date) in, money facts with their context out.

A fact is one money amount (``longcheng.core.money.find_amounts``) that states something — not
a category label such as "百亿元项目" or "千亿元级产业集群" — with:

* ``kind`` — investment, output, funding or other (``cues.KIND_CUES``), from the cue nearest to
  the amount: first in its clause (…，总投资101亿元), then just after it (8亿元开票销售), then
  in its ``；`` segment and sentence;
* ``event`` — the stage the sentence reports for it (signed, started, completed, producing,
  building, invested), or None. An event word after a plan word (预计2024年建成) or before 后
  (达产后) is a plan, not an event; ``planned`` says the amount itself is a plan or forecast;
* ``aggregate`` — the amount totals many projects or firms: its ``；`` segment counts them
  (新签约项目34个, 38个重大项目, 企业12家) or sums (累计, 合计, 共计, 总计, 一批). Such an amount is never
  one project's, whatever else the sentence names;
* ``project``, ``org``/``orgs``, ``place`` (gazetteer code) and ``date`` (see ``dates``) from the
  same sentence;
* ``span`` (the amount), ``cue`` and ``cue_span`` (the shortest text that states the fact, e.g.
  ``签约总投资101亿元``) and ``sentence_span`` — character offsets into the text as given.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from longcheng.core.money import ParsedAmount, Qualifier, find_amounts
from longcheng.intel.extractor.context import (
    EventMention,
    SentenceContext,
    analyse,
    nearest,
    nearest_before_or_after,
)
from longcheng.intel.extractor.cues import (
    AGGREGATE_RE,
    CONTINUATION_RE,
    DESCRIPTOR_RE,
    KIND_CUES,
    KIND_RE,
    PLANNED_AMOUNT_RE,
)
from longcheng.intel.extractor.gazetteer import PLACES, Place, PlaceMatcher, most_specific
from longcheng.intel.extractor.names import KnownNames
from longcheng.intel.extractor.sentences import (
    CLAUSE_CHARS,
    SEGMENT_CHARS,
    Sentences,
    left_bound,
    right_bound,
)

KINDS: tuple[str, ...] = ("investment", "output", "funding", "other")
EVENTS: tuple[str, ...] = ("signed", "started", "completed", "producing", "building", "invested")

#: 超亿元, 上亿元, 过亿: a round number with no digits, before 项目/企业 always a category label.
ROUND_LABEL_RE = re.compile(r"(?:超|上|逾|过|破|近)?[亿億万萬]元?")
_CUE_GAP = 8  # at most this many characters between a cue word and its amount in ``cue``
_RIGHT_WINDOW = 10
_DECK_CHARS = 24  # a deck line under a headline ("总投资约 120 亿元")
_TITLE_CHARS = 60


@dataclass(frozen=True)
class Fact:
    """One money fact found in a text; offsets are characters of that text."""

    amount: ParsedAmount
    kind: str
    event: str | None
    planned: bool
    cue: str
    cue_span: tuple[int, int]
    sentence_span: tuple[int, int]
    project: str | None = None
    org: str | None = None
    orgs: tuple[str, ...] = ()
    place: str | None = None
    place_name: str | None = None
    date: str | None = None
    aggregate: bool = False

    @property
    def span(self) -> tuple[int, int]:
        return self.amount.start, self.amount.end

    @property
    def currency(self) -> str:
        return self.amount.currency

    @property
    def qualifier(self) -> Qualifier:
        return self.amount.qualifier

    @property
    def low_yuan(self) -> Decimal:
        return Decimal(self.amount.low_fen) / 100

    @property
    def high_yuan(self) -> Decimal:
        return Decimal(self.amount.high_fen) / 100

    @property
    def value_yuan(self) -> Decimal | None:
        """The point value; None for a range (use ``low_yuan``/``high_yuan``)."""
        return None if self.amount.value_fen is None else self.low_yuan


@dataclass(frozen=True)
class _Cue:
    kind: str
    start: int
    end: int
    source: str  # "clause", "after" (8亿元开票销售), "segment" or "sentence": where it was found


class Extractor:
    """Finds money facts in text. Build it once (the name index is the costly part), reuse it."""

    def __init__(self, known_orgs: Iterable[str] = (), places: Iterable[Place] = PLACES) -> None:
        self.known = KnownNames(known_orgs)
        self.places = PlaceMatcher(places)

    def extract(self, text: str, published: date | None = None) -> list[Fact]:
        """Every money fact in ``text``, in order; ``published`` resolves relative dates."""
        amounts = find_amounts(text)
        if not amounts:
            return []
        doc = _Document(self, text, published, Sentences.of(text), tuple(a.start for a in amounts))
        facts: list[Fact] = []
        for amount in amounts:
            context = doc.context(doc.sentences.span(amount.start))
            cue = _kind_cue(text, amount, context.span)
            if not _is_descriptor(text, amount, cue):
                facts.append(_fact(doc, amount, cue, context))
        return facts


@dataclass
class _Document:
    """One text being read: its sentences, its amounts and the sentences analysed so far."""

    extractor: Extractor
    text: str
    published: date | None
    sentences: Sentences
    amount_starts: tuple[int, ...]
    contexts: dict[tuple[int, int], SentenceContext] = field(default_factory=dict)

    def context(self, span: tuple[int, int]) -> SentenceContext:
        found = self.contexts.get(span)
        if found is None:
            found = analyse(
                self.text,
                span,
                published=self.published,
                known=self.extractor.known,
                places=self.extractor.places,
            )
            self.contexts[span] = found
        return found

    def amount_within(self, start: int, end: int) -> bool:
        """Whether an amount starts in ``[start, end)``."""
        index = bisect_left(self.amount_starts, start)
        return index < len(self.amount_starts) and self.amount_starts[index] < end


def _fact(doc: _Document, amount: ParsedAmount, cue: _Cue | None, context: SentenceContext) -> Fact:
    text = doc.text
    event = _event(doc, amount, context)
    cue_start, cue_end = _cue_span(text, amount, cue, event)
    segment = (
        left_bound(text, context.span[0], amount.start, SEGMENT_CHARS),
        right_bound(text, amount.end, context.span[1], SEGMENT_CHARS),
    )
    project = nearest(
        (p for p in context.projects if segment[0] <= p.start < segment[1]), amount.start, amount.end
    )
    clause_end = right_bound(text, amount.end, context.span[1], CLAUSE_CHARS)
    org = nearest_before_or_after((o for o in context.orgs if o.start < clause_end), amount.start, amount.end)
    place = most_specific(context.places, amount.start)
    return Fact(
        amount=amount,
        kind=cue.kind if cue else "other",
        event=event.event if event else None,
        planned=_planned(text, amount, context),
        cue=text[cue_start:cue_end],
        cue_span=(cue_start, cue_end),
        sentence_span=context.span,
        project=project.name if project else None,
        org=org.name if org else None,
        orgs=tuple(dict.fromkeys(m.name for m in context.orgs)),
        place=place.code if place else None,
        place_name=place.name if place else None,
        date=_date(text, context, amount),
        aggregate=AGGREGATE_RE.search(text, *segment) is not None,
    )


def _last_cue(text: str, start: int, end: int) -> _Cue | None:
    found = None
    for match in KIND_RE.finditer(text, start, end):
        found = match
    return _Cue(KIND_CUES[found.group()], found.start(), found.end(), "clause") if found else None


def _kind_cue(text: str, amount: ParsedAmount, span: tuple[int, int]) -> _Cue | None:
    """The cue word that says what the amount is, nearest first (see module docstring)."""
    first, last = span
    clause = left_bound(text, first, amount.start, CLAUSE_CHARS)
    cue = _last_cue(text, clause, amount.start)
    if cue:
        return cue
    stop = right_bound(text, amount.end, min(last, amount.end + _RIGHT_WINDOW), CLAUSE_CHARS + "、。")
    after = _last_cue(text, amount.end, stop)
    if after:
        return _Cue(after.kind, after.start, after.end, "after")
    segment = left_bound(text, first, amount.start, SEGMENT_CHARS)
    wider = _last_cue(text, segment, clause)
    if wider:
        return _Cue(wider.kind, wider.start, wider.end, "segment")
    widest = _last_cue(text, first, segment)
    return _Cue(widest.kind, widest.start, widest.end, "sentence") if widest else None


def _is_descriptor(text: str, amount: ParsedAmount, cue: _Cue | None) -> bool:
    """``百亿元项目``, ``千亿元级产业集群``, ``10亿元以上光伏领军企业`` label a category, not a fact."""
    if not DESCRIPTOR_RE.match(text, amount.end):
        return False
    governed = cue is not None and cue.source == "clause" and amount.start - cue.end <= _CUE_GAP
    round_label = ROUND_LABEL_RE.fullmatch(amount.text) is not None
    return not governed or amount.text.endswith("以上") or round_label


def _planned(text: str, amount: ParsedAmount, context: SentenceContext) -> bool:
    if context.plan_between(context.span[0], amount.start):
        return True
    clause = left_bound(text, context.span[0], amount.start, CLAUSE_CHARS)
    return PLANNED_AMOUNT_RE.search(text, clause, amount.start) is not None


def _candidates(
    doc: _Document, amount: ParsedAmount, context: SentenceContext, start: int, end: int
) -> list[tuple[int, EventMention]]:
    """Unplanned events in ``[start, end)`` with their distance to the amount.

    An event before the amount counts unless a plan word stands between them. An event after it
    counts in the amount's clause, or in the next clause when that one goes on with the same
    subject (…总投资20亿元，已于去年投产), and never when it introduces another amount
    (…18.19亿元，1-4月份完成投资6.5亿元).
    """
    reach = _after_reach(doc.text, amount, context)
    out: list[tuple[int, EventMention]] = []
    for m in context.events:
        if m.planned or not start <= m.start < end:
            continue
        if m.end <= amount.start and not context.plan_between(m.end, amount.start):
            out.append((amount.start - m.end, m))
        elif amount.end <= m.start < reach and not context.plan_between(amount.end, m.start):
            if not doc.amount_within(m.end, m.end + 4):
                out.append((m.start - amount.end, m))
    return out


def _after_reach(text: str, amount: ParsedAmount, context: SentenceContext) -> int:
    clause_end = right_bound(text, amount.end, context.span[1], CLAUSE_CHARS)
    if clause_end < context.span[1] and CONTINUATION_RE.match(text, clause_end + 1):
        return right_bound(text, clause_end + 1, context.span[1], CLAUSE_CHARS)
    return clause_end


def _event(doc: _Document, amount: ParsedAmount, context: SentenceContext) -> EventMention | None:
    """The stage event of the amount's segment; else of the sentence's lead segment; else, for a
    sentence that opens with 其中 ("among them") or a deck line under a headline, the last event
    of the sentence before."""
    text = doc.text
    first, last = context.span
    segment = left_bound(text, first, amount.start, SEGMENT_CHARS)
    segment_end = right_bound(text, amount.end, last, SEGMENT_CHARS)
    found = _candidates(doc, amount, context, segment, segment_end)
    if found:
        return min(found, key=lambda pair: pair[0])[1]
    if segment > first and not any(segment <= m.start < segment_end for m in context.events):
        lead_end = right_bound(text, first, last, SEGMENT_CHARS)
        lead = [m for m in context.events if first <= m.start < lead_end and not m.planned]
        if lead:
            return lead[-1]
    previous = doc.sentences.previous(context.span)
    follows = previous is not None and (
        text.startswith("其中", first) or _deck_under_title(text, context.span, previous)
    )
    if previous is not None and follows:
        unplanned = [m for m in doc.context(previous).events if not m.planned]
        return unplanned[-1] if unplanned else None
    return None


def _is_line(text: str, span: tuple[int, int], limit: int) -> bool:
    """A short line of its own without sentence punctuation: a headline or a deck."""
    start, end = span
    alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    return alone and end - start <= limit and not any(c in "。！？，,；;" for c in text[start:end])


def _deck_under_title(text: str, span: tuple[int, int], previous: tuple[int, int]) -> bool:
    """ "…项目（二期）开工" over "总投资约120亿元": the deck's amount belongs to the headline's event."""
    return _is_line(text, span, _DECK_CHARS) and _is_line(text, previous, _TITLE_CHARS)


def _cue_span(
    text: str, amount: ParsedAmount, cue: _Cue | None, event: EventMention | None
) -> tuple[int, int]:
    """From the cue word (and an event word right before it: 签约总投资) to the amount."""
    if cue is None or cue.source not in ("clause", "after"):
        return amount.start, amount.end
    if cue.source == "after":
        return (amount.start, cue.end) if cue.start - amount.end <= 4 else (amount.start, amount.end)
    if amount.start - cue.end > _CUE_GAP:
        return amount.start, amount.end
    start = cue.start
    if event is not None and event.end <= start and start - event.end <= 2:
        if not any(c in CLAUSE_CHARS for c in text[event.end : start]):
            start = event.start
    return start, amount.end


def _date(text: str, context: SentenceContext, amount: ParsedAmount) -> str | None:
    """The date written nearest before the amount in its sentence, else just after it in its clause."""
    before = [d for d in context.dates if d.end <= amount.start]
    if before:
        return before[-1].value
    clause_end = right_bound(text, amount.end, context.span[1], CLAUSE_CHARS)
    after = [d for d in context.dates if amount.end <= d.start < clause_end]
    return after[0].value if after else None


def _yuan(fen: int) -> str:
    return str(fen // 100) if fen % 100 == 0 else f"{Decimal(fen) / 100:.2f}"


def fact_to_json(fact: Fact, doc: str) -> dict[str, Any]:
    """The JSON Lines record of ``longcheng intel extract``: amounts as strings of yuan."""
    out: dict[str, Any] = {"doc": doc, "kind": fact.kind}
    if fact.amount.value_fen is None:
        out["low"], out["high"] = _yuan(fact.amount.low_fen), _yuan(fact.amount.high_fen)
    else:
        out["value"] = _yuan(fact.amount.value_fen)
    out.update(
        currency=fact.currency,
        qualifier=fact.qualifier.value,
        event=fact.event,
        planned=fact.planned,
        span=list(fact.span),
        text=fact.amount.text,
        cue=fact.cue,
        sentence_span=list(fact.sentence_span),
        project=fact.project,
        org=fact.org,
        orgs=list(fact.orgs),
        place=fact.place,
        place_name=fact.place_name,
        date=fact.date,
        aggregate=fact.aggregate,
    )
    return out
