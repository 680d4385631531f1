"""Text handling shared by every search backend: segmentation, query parsing, snippets.

Segmentation uses rjieba (jieba-rs, much faster) when installed and jieba otherwise; both
share jieba's dictionary. Documents are cut in search mode (long words also yield their
parts: 锂离子 → 离子, 锂离子) and queries in precise mode.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

_cut: Callable[[str], list[str]]
_cut_for_search: Callable[[str], list[str]]

try:
    import rjieba

    _cut = rjieba.cut
    _cut_for_search = rjieba.cut_for_search
    SEGMENTER = "rjieba"
except ImportError:  # pragma: no cover - depends on the installation
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    _cut = jieba.lcut
    _cut_for_search = jieba.lcut_for_search
    SEGMENTER = "jieba"

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
_MINOR_WORDS = frozenset("的了和与及在是之或")
_SNIPPET_CHARS = 120
_WIDE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
_WIDE_MAP = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B)} | {0x3000: 0x20}


@dataclass(frozen=True, slots=True)
class Term:
    """One required part of a query: a word, or an exact phrase written in quotes."""

    text: str
    phrase: bool = False


def fold(text: str) -> str:
    """The form both documents and queries are matched in: full-width letters and digits
    made ASCII (１０１ → 101), lower case. Length-preserving, and much cheaper than NFKC on
    text full of full-width punctuation."""
    if _WIDE.search(text):
        text = text.translate(_WIDE_MAP)
    return text.lower()


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def index_words(text: str) -> str:
    """Search-mode words of ``text`` joined by spaces, for a whitespace-analysed field."""
    return " ".join(_cut_for_search(fold(text)))


def query_words(text: str) -> list[str]:
    """Precise-mode words of an unquoted query part, minus punctuation and minor words."""
    words = [token.strip() for token in _cut(fold(text)) if _is_word(token)]
    if len(words) > 1:
        words = [word for word in words if word not in _MINOR_WORDS]
    return words


def parse_terms(text: str) -> list[Term]:
    """The required terms of a query text, in order, without duplicates."""
    terms: list[Term] = []
    last = 0
    for found in _QUOTED.finditer(text):
        terms += [Term(word) for word in query_words(text[last : found.start()])]
        phrase = fold(next(group for group in found.groups() if group is not None)).strip()
        if _is_word(phrase):
            terms.append(Term(phrase, phrase=True))
        last = found.end()
    terms += [Term(word) for word in query_words(text[last:].replace('"', " "))]
    unique: dict[tuple[str, bool], Term] = {}
    for term in terms:
        unique.setdefault((term.text, term.phrase), term)
    return list(unique.values())


def _matches(folded: str, needles: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping match spans, longest needle first at each position."""
    if not needles:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True)))
    spans: list[tuple[int, int]] = []
    for found in pattern.finditer(folded):
        if spans and spans[-1][1] == found.start():  # touching matches form one mark
            spans[-1] = (spans[-1][0], found.end())
        else:
            spans.append((found.start(), found.end()))
    return spans


def highlight(text: str, needles: list[str], *, width: int = _SNIPPET_CHARS) -> str:
    """An HTML snippet of ``text`` around the densest run of matches, matches in ``<mark>``."""
    folded = fold(text)
    if len(folded) != len(text):  # lower() changed a length (rare letters): match as is
        folded = text
    spans = _matches(folded, needles)
    start = _best_window(spans, len(text), width)
    end = min(start + width, len(text))
    pieces: list[str] = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        pieces.append(html.escape(text[cursor:span_start]))
        pieces.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(html.escape(text[cursor:end]))
    pieces.append("…" if end < len(text) else "")
    return "".join(pieces).replace("\n", " ")


def _best_window(spans: list[tuple[int, int]], length: int, width: int) -> int:
    """Start of the ``width``-character window holding the most matches (first such)."""
    if not spans or length <= width:
        return 0
    best_start, best_count, right = spans[0][0], 0, 0
    for left, (span_start, _) in enumerate(spans):
        right = max(right, left)
        while right < len(spans) and spans[right][1] <= span_start + width:
            right += 1
        if right - left > best_count:
            best_start, best_count = span_start, right - left
    lead = min(width // 4, best_start)
    return max(0, min(best_start - lead, length - width))
