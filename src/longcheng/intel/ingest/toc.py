"""Split a magazine issue by its table of contents (目录).

A periodical (e.g. 《常州科技》) lists its articles up front as ``- 09 常州全力打造…`` (page,
title) and prints each title again above the article. The listed titles are found in the
text in order (compared without spaces and punctuation, and allowing a title broken over two
lines); each article runs to the next found title. Continuations printed elsewhere
("（下转第20页）" … "（上接第23页）") are moved back to their article. Everything before
the first article (cover, editorial board, contents) is front matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from longcheng.intel.ingest.body import build_article
from longcheng.intel.ingest.boilerplate import BLANK, JUMP, SOURCE, Line, source_name
from longcheng.intel.ingest.dates import FoundDate, full_date, issue_date
from longcheng.intel.ingest.model import Article

_ENTRY = re.compile(r"^(?:[-•·]\s*(\d{1,3})|(\d{2,3}))\s+(\S.*)$")
_JUMP_PAGE = re.compile(r"(上接|下转|接第|转第|转下|接上)\s*第?\s*(\d+)")
_MIN_ENTRIES = 4
_MAX_GAP = 8


@dataclass(frozen=True, slots=True)
class _Entry:
    line: int
    page: int
    title: str


@dataclass(slots=True)
class _Found:
    entry: _Entry
    title_lines: list[Line]
    body: list[Line]
    stop: int = 0


def norm_title(text: str) -> str:
    """A title reduced to letters, digits and hanzi, for comparing printings of it."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if ch.isalnum())


def _entry(line: Line, dashed: bool | None) -> _Entry | None:
    """A contents entry; once a cluster has a style (``- 09 …`` or ``09 …``) only that style."""
    found = _ENTRY.match(line.text) if line.is_content else None
    if found is None or (dashed is not None and dashed != (found.group(1) is not None)):
        return None
    return _Entry(line.index, int(found.group(1) or found.group(2)), found.group(3).strip())


def _entries(lines: list[Line]) -> list[_Entry]:
    """The first cluster of contents entries (page numbers never going down)."""
    cluster: list[_Entry] = []
    dashed: bool | None = None
    for line in lines:
        entry = _entry(line, dashed)
        if entry is None:
            if cluster and line.index - cluster[-1].line > _MAX_GAP:
                if len(cluster) >= _MIN_ENTRIES:
                    break
                cluster, dashed = [], None
            continue
        if cluster and entry.page < cluster[-1].page:
            if len(cluster) >= _MIN_ENTRIES:
                break
            cluster = []
        if not cluster:
            dashed = _ENTRY.match(line.text).group(1) is not None  # type: ignore[union-attr]
        cluster.append(entry)
    return cluster if len(cluster) >= _MIN_ENTRIES else []


def _next_filled(lines: list[Line], at: int) -> Line | None:
    for line in lines[at + 1 :]:
        if line.kind != BLANK:
            return line
    return None


def _match_title(lines: list[Line], at: int, wanted: str) -> list[Line] | None:
    line = lines[at]
    if not line.is_content:
        return None
    own = norm_title(line.text)
    if own == wanted:
        return [line]
    following = _next_filled(lines, at)
    if own and following is not None and wanted == own + norm_title(following.text):
        return [line, following]
    return None


def _find_titles(lines: list[Line], entries: list[_Entry]) -> list[_Found]:
    found: list[_Found] = []
    cursor = entries[-1].line + 1
    for entry in entries:
        wanted = norm_title(entry.title)
        for at in range(cursor, len(lines)):
            title_lines = _match_title(lines, at, wanted)
            if title_lines is None:
                continue
            if title_lines[-1].text.endswith("——"):
                extra = _next_filled(lines, title_lines[-1].index)
                if extra is not None and extra.is_content:
                    title_lines.append(extra)
            found.append(_Found(entry, title_lines, []))
            cursor = title_lines[-1].index + 1
            break
    return found


def _jump_page(line: Line, marker: str) -> int | None:
    hit = _JUMP_PAGE.search(line.text)
    if line.kind != JUMP or hit is None or marker not in hit.group(1):
        return None
    return int(hit.group(2))


def _owner(found: list[_Found], page: int) -> _Found | None:
    """The article printed from ``page`` that says it continues elsewhere (下转)."""
    for at, item in enumerate(found):
        until = found[at + 1].entry.page if at + 1 < len(found) else page + 1
        starts_here = item.entry.page <= page < max(until, item.entry.page + 1)
        if starts_here and any(_jump_page(line, "下") is not None for line in item.body):
            return item
    return None


def _move_continuations(found: list[_Found]) -> None:
    for item in found:
        for at, line in enumerate(item.body):
            page = _jump_page(line, "上")
            owner = _owner(found, page) if page is not None else None
            if owner is not None and owner is not item:
                owner.body.extend(item.body[at + 1 :])
                del item.body[at:]
                break


def _front_date(lines: list[Line]) -> FoundDate | None:
    for line in lines:
        found = issue_date(line.text) or full_date(line.text)
        if found is not None:
            return found
    return None


def split_by_contents(lines: list[Line]) -> list[Article] | None:
    """Articles of a magazine issue, or None when the text has no usable contents list."""
    entries = _entries(lines)
    found = _find_titles(lines, entries) if entries else []
    if len(found) < max(_MIN_ENTRIES, len(entries) // 2):
        return None
    for at, item in enumerate(found):
        stop = found[at + 1].title_lines[0].index if at + 1 < len(found) else len(lines)
        item.body = lines[item.title_lines[-1].index + 1 : stop]
        item.stop = stop
    _move_continuations(found)
    issued = _front_date(lines[: found[0].title_lines[0].index])
    return [_article(item, issued) for item in found]


def _article(item: _Found, issued: FoundDate | None) -> Article:
    filled = [line for line in item.body if line.kind != BLANK]
    main_run = [line for line in filled if item.title_lines[-1].index < line.index < item.stop]
    last = main_run[-1] if main_run else item.title_lines[-1]
    sources = [source_name(line.text) for line in filled if line.kind == SOURCE]
    return build_article(
        item.title_lines,
        [line for line in item.body if line.is_content],
        start=item.title_lines[0].start,
        end=last.end,
        found_date=issued,
        source=next((name for name in sources if name), None),
    )
