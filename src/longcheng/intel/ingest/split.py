"""Split a decoded file into articles.

Files come in a few shapes, tried from the most to the least specific:

1. **Magazine issue** with a contents list: see :mod:`longcheng.intel.ingest.toc`.
2. **Dated records**: a feed or archive where each article is a title, a body and a date line
   (``2025-08-13``), often separated by ``-`` lines; or a title, a date line, then the body.
3. **Newspaper page**: several stories opened by "本报讯", each under a headline block of
   short lines; a headline block followed by a paragraph (a photo story) is a story too.
4. **Single web page**: navigation, the title, a byline with the date, the body, then
   boilerplate; or any other text, taken as one article.

Boilerplate lines (see :mod:`longcheng.intel.ingest.boilerplate`) never enter a body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from longcheng.intel.ingest.body import build_article, ends_sentence
from longcheng.intel.ingest.boilerplate import BLANK, DATE, META, SOURCE, Line, scan_lines, source_name
from longcheng.intel.ingest.dates import FoundDate, full_date, meta_date, split_date
from longcheng.intel.ingest.model import Article
from longcheng.intel.ingest.toc import split_by_contents

_PARAGRAPH = 40
_HEADER_WINDOW = 12
_NEWS_MARKER = re.compile(
    r"^(?:本报讯|本报[^，,。\s]{0,8}(?:电|讯)|新华社[^，,。]{0,12}电|[^，,。]{0,10}讯\s*[(（]\s*记者)"
)


def split_articles(text: str) -> list[Article]:
    """The articles in ``text`` (decoded file text), in file order.

    Offsets in the returned articles refer to ``text``. A text with no content left after
    boilerplate removal yields no article.
    """
    lines = scan_lines(text)
    if not any(line.is_content for line in lines):
        return []
    for strategy in (split_by_contents, _split_dated, _split_newswire):
        articles = strategy(lines)
        if articles:
            return articles
    return _split_single(lines)


# --------------------------------------------------------------------------- helpers


def _filled(lines: Sequence[Line]) -> list[Line]:
    return [line for line in lines if line.kind != BLANK]


def _content(lines: Sequence[Line]) -> list[Line]:
    return [line for line in lines if line.is_content]


def _previous_filled(lines: Sequence[Line], at: int) -> Line | None:
    for line in reversed(lines[:at]):
        if line.kind != BLANK:
            return line
    return None


def _is_paragraph(line: Line) -> bool:
    """Body text rather than a headline: long, or closed by sentence punctuation."""
    return line.is_content and (len(line.text) >= _PARAGRAPH or ends_sentence(line.text))


def _source(lines: Sequence[Line]) -> str | None:
    for line in lines:
        if line.kind in (SOURCE, META):
            name = source_name(line.text)
            if name:
                return name
    return None


def _make(
    title: Sequence[Line],
    body: Sequence[Line],
    found: FoundDate | None,
    *,
    last: Line | None = None,
    header: Sequence[Line] = (),
) -> Article:
    """An article from its title lines and body lines (any kind; only content is kept).

    The source is read from a "来源:" line in the header (byline) or the body.
    """
    content = _content(body)
    first = title[0] if title else content[0]
    last = last or (content[-1] if content else title[-1])
    return build_article(
        title, content, start=first.start, end=last.end, found_date=found, source=_source([*header, *body])
    )


def _titled(record: Sequence[Line]) -> tuple[list[Line], list[Line]]:
    """Split a record into its title (the short line before the first paragraph) and body."""
    content = _content(record)
    first_paragraph = next((at for at, line in enumerate(content) if _is_paragraph(line)), 0)
    if first_paragraph == 0:
        return [], content
    title = content[first_paragraph - 1]
    return [title], [line for line in record if line.index > title.index]


# --------------------------------------------------------------------------- dated records


def _split_dated(lines: list[Line]) -> list[Article] | None:
    dates = [line for line in lines if line.kind == DATE]
    footers = [d for d in dates if (p := _previous_filled(lines, d.index)) is not None and _is_paragraph(p)]
    if len(footers) >= 2 and len(footers) >= len(dates) - 1:
        return _footer_records(lines, footers)
    headers = [d for d in dates if (p := _previous_filled(lines, d.index)) is not None and p.is_content]
    if len(headers) >= 2 and len(headers) == len(dates):
        return _header_records(lines, headers)
    return None


def _footer_records(lines: list[Line], footers: list[Line]) -> list[Article]:
    articles: list[Article] = []
    begin = 0
    for date_line in footers:
        record = lines[begin : date_line.index]
        title, body = _titled(record)
        if title or _content(body):
            articles.append(_make(title, body, full_date(date_line.text), last=date_line))
        begin = date_line.index + 1
    tail = lines[begin:]
    if sum(len(line.text) for line in _content(tail)) >= 2 * _PARAGRAPH:
        title, body = _titled(tail)
        articles.append(_make(title, body, None))
    return articles


def _header_records(lines: list[Line], headers: list[Line]) -> list[Article]:
    titles = [_previous_filled(lines, d.index) for d in headers]
    articles: list[Article] = []
    for at, (title, date_line) in enumerate(zip(titles, headers, strict=True)):
        assert title is not None
        stop = titles[at + 1].index if at + 1 < len(titles) else len(lines)  # type: ignore[union-attr]
        body = lines[date_line.index + 1 : stop]
        articles.append(_make([title], body, full_date(date_line.text)))
    return articles


# --------------------------------------------------------------------------- newspaper page


def _is_headline(line: Line) -> bool:
    text = line.text
    return (
        line.is_content
        and len(text) <= 30
        and not ends_sentence(text)
        and not any(ch in "，,、" for ch in text)
        and not _NEWS_MARKER.match(text)
    )


def _headline_block(lines: list[Line], at: int, floor: int) -> list[Line]:
    """The headline lines right above line ``at`` (blank lines between them allowed)."""
    block: list[Line] = []
    for line in reversed(lines[floor:at]):
        if line.kind == BLANK:
            continue
        if not _is_headline(line) or len(block) == 4:
            break
        block.insert(0, line)
    return block


def _split_newswire(lines: list[Line]) -> list[Article] | None:
    markers = [line for line in lines if line.is_content and _NEWS_MARKER.match(line.text)]
    if len(markers) < 2:
        return None
    starts: dict[int, list[Line]] = {}
    floor = 0
    for marker in markers:
        block = _headline_block(lines, marker.index, floor)
        starts[(block[0] if block else marker).index] = block
        floor = marker.index + 1
    starts.update(_photo_stories(lines, markers[0].index, starts))
    order = sorted(starts)
    page_date = next((f for line in lines[: order[0]] if (f := full_date(line.text))), None)
    articles: list[Article] = []
    for at, begin in enumerate(order):
        stop = order[at + 1] if at + 1 < len(order) else len(lines)
        title = starts[begin]
        span = lines[begin:stop]
        body = [line for line in span if not title or line.index > title[-1].index]
        articles.append(_make(title, body, page_date))
    return articles


def _photo_stories(lines: list[Line], after: int, known: dict[int, list[Line]]) -> dict[int, list[Line]]:
    """Headline blocks that follow a finished paragraph and head a paragraph of their own."""
    taken = {line.index for block in known.values() for line in block}
    found: dict[int, list[Line]] = {}
    filled = [line for line in _filled(lines[after:]) if line.index not in taken]
    for at, line in enumerate(filled[1:], start=1):
        before = filled[at - 1]
        if not (_is_headline(line) and _is_paragraph(before) and ends_sentence(before.text)):
            continue
        block = [line]
        rest = filled[at + 1 :]
        while rest and _is_headline(rest[0]) and len(block) < 4:
            block.append(rest.pop(0))
        if rest and len(rest[0].text) >= _PARAGRAPH and rest[0].index not in known:
            found[line.index] = block
    return found


# --------------------------------------------------------------------------- single article


def _short_run(window: list[Line], at: int) -> list[str]:
    run: list[str] = []
    for line in window[at : at + 3]:
        if not (line.is_content and len(line.text) <= 8):
            break
        run.append(line.text)
    return run


def _header_date(filled: list[Line]) -> tuple[int, int, FoundDate] | None:
    """(first line, line count, date) of a date written near the top, below the title."""
    window = filled[:_HEADER_WINDOW]
    for at, line in enumerate(window):
        if at and _is_paragraph(window[at - 1]):
            break  # the body has begun: a date further down is not the byline's
        if at == 0:
            continue
        if line.kind == DATE and (found := full_date(line.text)):
            return at, 1, found
        if line.kind == META and (found := meta_date(line.text)):
            return at, 1, found
        if split := split_date(_short_run(window, at)):
            return at, split[1], split[0]
    return None


def _split_single(lines: list[Line]) -> list[Article]:
    filled = _filled(lines)
    header = _header_date(filled)
    found: FoundDate | None
    if header is not None:
        at, count, found = header
        titles = [line for line in filled[:at] if line.is_content and len(line.text) <= 80]
        title = titles[-1:]
        body = filled[at + count :]
    else:
        title, body = _titled(filled)
        footer = [f for line in filled[-10:] if line.kind in (DATE, META) and (f := meta_date(line.text))]
        found = footer[-1] if footer else None
    header_lines = filled[: header[0] + header[1]] if header else []
    return [_make(title, body, found, header=header_lines)] if title or _content(body) else []
