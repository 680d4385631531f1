"""HTML to plain text with the standard library's ``html.parser``.

Page chrome (``script``, ``style``, ``nav``, ``header``, ``footer``, ``aside``…) is dropped
with everything inside it; block elements become line breaks; runs of whitespace inside a
line collapse to one space except in ``pre``. The result is shaped like the text files the
splitter already knows: one paragraph per line, blank lines between blocks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset(
    {"script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "head", "iframe"}
)
_BLOCKS = frozenset(
    {
        "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section",
        "table", "td", "th", "tr", "ul", "title", "body",
    }
)  # fmt: skip
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"})
_SPACES = re.compile(r"[ \t\r\n\f\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_stack: list[str] = []
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_stack:
            if tag == "body":  # an unclosed <head>
                self.skip_stack.clear()
            elif tag == self.skip_stack[-1] and tag not in _VOID:
                self.skip_stack.append(tag)
                return
            else:
                return
        if tag in _SKIPPED:
            self.skip_stack.append(tag)
            return
        if tag == "pre":
            self.pre_depth += 1
        if tag in _BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.skip_stack and tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            if tag == self.skip_stack[-1]:
                self.skip_stack.pop()
            return
        if tag == "pre":
            self.pre_depth = max(self.pre_depth - 1, 0)
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip_stack:
            return
        self.parts.append(data if self.pre_depth else _SPACES.sub(" ", data))


def html_to_text(markup: str) -> str:
    """The visible text of an HTML page, one block per line."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = (line.strip() for line in "".join(collector.parts).split("\n"))
    text = "\n".join(lines)
    return _BLANK_RUNS.sub("\n\n", text).strip("\n") + "\n"
