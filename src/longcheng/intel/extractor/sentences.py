"""Sentences and clauses of news text, as character spans.

A sentence ends at 。！？ (and a closing quote after them) or at a line break that ends a line
of its own; a line that ends with ； or ... ends its sentence too (lists of paragraphs). Texts
extracted from PDF pages or copied from web pages break sentences across lines
("…东方日升协议投资52.8亿元年产4GW⏎⏎高效光伏电池…"); a break is read as a soft wrap when the line
before it ends with a comma or runs long, and as a boundary after a short line without a comma
(titles, captions, "2024", "08/29").

Inside a sentence, ``；`` separates parallel segments ("其中，制造业项目19个，总投资138亿元；服务业
项目5个，…") and ``，`` separates clauses; the extractor looks for the words that qualify an amount
first in its clause, then in its segment, then in its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_ENDERS = "。！？!?…；;."
#: An ASCII full stop ends a sentence too (scraped news uses ASCII punctuation throughout), except
#: inside a number (52.8) or after a Latin letter (Co., No.1).
_HARD_RE = re.compile(r"(?:[。！？!?]|(?<![A-Za-z])(?:(?<!\d)\.|\.(?!\d)))+[”’」』\"')）]*|…{2,}")
_BREAK_RE = re.compile(r"[ \t\u3000\xa0]*\n\s*")
_WRAP_ENDINGS = frozenset("，,、：:（(“‘《")
_SOFT_LINE = 40
#: Longer runs without a full stop (tables flattened to text, lists) are cut at a clause mark,
#: so that no sentence costs more than a bounded amount of work per amount it holds.
MAX_SENTENCE = 600
SEGMENT_CHARS = "；;"
CLAUSE_CHARS = "，,；;：:"


@dataclass(frozen=True)
class Sentences:
    """The sentence boundaries of one text; ``span(offset)`` is the sentence around an offset."""

    text: str
    cuts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> Sentences:
        cuts = {m.end() for m in _HARD_RE.finditer(text)}
        for m in _BREAK_RE.finditer(text):
            if _is_boundary(text, m.start(), m.end()):
                cuts.add(m.start())
        cuts.add(len(text))
        return cls(text, tuple(_bounded(text, sorted(cuts))))

    def span(self, offset: int) -> tuple[int, int]:
        """The sentence containing ``offset``, trimmed of surrounding white space."""
        index = bisect_right(self.cuts, offset)
        start = self.cuts[index - 1] if index else 0
        end = self.cuts[index] if index < len(self.cuts) else len(self.text)
        return _trim(self.text, start, end)

    def previous(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """The sentence before ``span``, or None at the start of the text."""
        start = span[0]
        while start > 0 and self.text[start - 1].isspace():
            start -= 1
        if start == 0:
            return None
        return self.span(start - 1)


def _bounded(text: str, cuts: list[int]) -> list[int]:
    out: list[int] = []
    previous = 0
    for cut in cuts:
        while cut - previous > MAX_SENTENCE:
            limit = previous + MAX_SENTENCE
            clause = max(text.rfind(c, previous + 1, limit) for c in "，,；;、 ")
            previous = clause + 1 if clause > previous else limit
            out.append(previous)
        out.append(cut)
        previous = cut
    return out


def _is_boundary(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    if not line or line[-1] in _ENDERS or end >= len(text):
        return True
    if line[-1] in _WRAP_ENDINGS:
        return False
    following = text[end]
    if not ("\u4e00" <= following <= "\u9fff" or following.isdigit()):
        return True
    return len(line) < _SOFT_LINE and "，" not in line and "," not in line


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def left_bound(text: str, start: int, offset: int, stops: str) -> int:
    """The first offset after the last of ``stops`` in ``text[start:offset]`` (or ``start``)."""
    best = start
    for char in stops:
        found = text.rfind(char, start, offset)
        if found >= best:
            best = found + 1
    return best


def right_bound(text: str, offset: int, end: int, stops: str) -> int:
    """The offset of the first of ``stops`` in ``text[offset:end]`` (or ``end``)."""
    best = end
    for char in stops:
        found = text.find(char, offset, best)
        if found != -1:
            best = found
    return best
