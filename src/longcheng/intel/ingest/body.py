"""Assemble an article's text from file lines, keeping the map back to the file.

Paragraphs are separated by ``\\n``. A line that stops mid-sentence (no closing punctuation,
and long or containing a comma) is glued to the next kept line without a separator: text
extracted from print layouts breaks lines inside words ("鲸华交通设" / "施、化工机械"),
sometimes with a photo caption in between, and search and extraction need the word whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from longcheng.intel.ingest.boilerplate import Line
from longcheng.intel.ingest.dates import FoundDate
from longcheng.intel.ingest.model import Article, Piece

_CLOSERS = "”’」』）)】》\"'"
_TERMINAL = frozenset("。！？!?；;…：:—")
_CLAUSE = frozenset("，,、")
_BROKEN_MIN_LEN = 40
_NUMERALS = "一二三四五六七八九十"
_ENUMERATOR = re.compile(rf"^(?:[{_NUMERALS}]+|\d{{1,2}})[、.．]|^[(（][{_NUMERALS}\d]{{1,3}}[)）]")
_CREDITS = (" 摄", "摄影", "供图")  # a photo credit closes a caption


class _Builder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pieces: list[Piece] = []
        self.length = 0

    def add(self, separator: str, line: Line) -> None:
        self.parts.append(separator)
        self.length += len(separator)
        self.pieces.append(Piece(self.length, line.start, len(line.text)))
        self.parts.append(line.text)
        self.length += len(line.text)


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-closing punctuation."""
    core = text.rstrip(_CLOSERS)
    return bool(core) and (core[-1] in _TERMINAL or core.endswith(_CREDITS))


def is_broken(text: str) -> bool:
    """A line that was cut by the layout rather than ended by the writer.

    Headings are not: a subtitle opening with "——", a numbered heading ("一、…") without
    a comma after its number, any short line without a comma.
    """
    if ends_sentence(text) or text.startswith("——"):
        return False
    unnumbered = _ENUMERATOR.sub("", text, count=1)
    return len(text) >= _BROKEN_MIN_LEN or any(ch in _CLAUSE for ch in unnumbered)


def _joiner(previous: str, following: str) -> str:
    if not is_broken(previous):
        return "\n"
    latin_break = _is_latin(previous[-1]) and _is_latin(following[0])
    return " " if latin_break else ""


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def build_article(
    title_lines: Sequence[Line],
    body_lines: Sequence[Line],
    *,
    start: int,
    end: int,
    found_date: FoundDate | None = None,
    source: str | None = None,
) -> Article:
    """An :class:`Article` from its title lines and (content) body lines, in reading order."""
    builder = _Builder()
    for at, line in enumerate(title_lines):
        builder.add(" " if at else "", line)
    title = "".join(builder.parts)
    previous: Line | None = None
    for line in body_lines:
        separator = "\n" if previous is None else _joiner(previous.text, line.text)
        builder.add(separator, line)
        previous = line
    text = "".join(builder.parts)
    body = text[len(title) + 1 :] if body_lines else ""
    return Article(
        title=title,
        body=body,
        start=start,
        end=end,
        pieces=tuple(builder.pieces),
        date=found_date.value if found_date else None,
        date_precision=found_date.precision if found_date else None,
        date_text=found_date.text if found_date else None,
        source=source,
    )
