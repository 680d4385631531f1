"""Full-text search over documents and facts (全文检索), behind one interface.

Callers use :class:`SearchIndex` with plain types — :class:`IndexDoc` in,
:class:`SearchQuery` / :class:`SearchPage` out — and never an engine type, so a PostgreSQL
deployment can implement the same interface (for example FTS over jieba-segmented text, or
OpenSearch beyond a city) without touching its callers.

The default engine is tantivy (:class:`TantivyIndex`): Chinese is matched on character
n-grams for recall (1- and 2-character queries such as 锂 and 光伏 work, exact phrases in
double quotes are exact) and ranked by BM25 over jieba words with the title boosted.
Snippets are computed from the stored text and HTML-escaped, with ``<mark>`` around matches.

Query language: ``光伏 溧阳`` — both words (AND); ``光伏组件`` — segmented into words, all
required; ``"动力电池产业化"`` — that exact phrase. Filters: date range, place, kind
(document/fact), fact kind, amount range in fen.

A pure engine: no intel models or services (those are in ``intel.service.search``, which keeps
the index in step with the database). Start reading at ``model`` (the interface and its plain
types), then ``text`` (segmentation, query parsing, snippets) and ``tantivy`` (the backend).
Imports only the standard library, ``tantivy``, ``jieba``/``rjieba`` and ``longcheng.core.errors``.
"""

from __future__ import annotations

from pathlib import Path

from longcheng.intel.search.model import (
    MAX_LIMIT,
    MAX_OFFSET,
    MAX_QUERY_CHARS,
    DocKind,
    IndexDoc,
    InvalidSearch,
    SearchHit,
    SearchIndex,
    SearchPage,
    SearchQuery,
)
from longcheng.intel.search.tantivy import SearchIndexUnavailable, TantivyIndex
from longcheng.intel.search.text import SEGMENTER, Term, highlight, parse_terms

__all__ = [
    "MAX_LIMIT",
    "MAX_OFFSET",
    "MAX_QUERY_CHARS",
    "SEGMENTER",
    "DocKind",
    "IndexDoc",
    "InvalidSearch",
    "SearchHit",
    "SearchIndex",
    "SearchIndexUnavailable",
    "SearchPage",
    "SearchQuery",
    "TantivyIndex",
    "Term",
    "highlight",
    "open_index",
    "parse_terms",
]


def open_index(path: Path | None) -> SearchIndex:
    """The platform's search index at ``path`` (in memory when None)."""
    return TantivyIndex(path)
