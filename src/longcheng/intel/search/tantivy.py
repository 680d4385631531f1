"""The tantivy backend of :class:`~longcheng.intel.search.model.SearchIndex`.

Fields (see ``shared/notes/chinese-nlp.md`` §3.1), each kept for the title and the body:

* ``*_c`` — every non-space character as a token with its position (the text is fed with
  spaces between characters, which a whitespace analyser splits fast): a 1-character query
  is one term here, a longer exact phrase a phrase query (tantivy's ngram tokenizer records
  no positions, so n-grams alone cannot prove adjacency beyond two characters);
* ``*_2`` — character bigrams (ngram(2,2), frequencies only): a 2-character word is one exact
  term (光伏), and the bigrams of a longer phrase narrow the phrase query cheaply;
* ``*_w`` — jieba search-mode words, whitespace analyser: BM25 ranking by words;
* ``id``, ``kind``, ``place``, ``fact_kind`` (raw), ``published`` (day number) and
  ``amount`` (fen) — filters; ``store`` — the item itself as JSON, for hits and snippets.

Title matches weigh ``_TITLE_BOOST`` times body matches.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, cast

import tantivy

from longcheng.core.errors import LongchengError
from longcheng.intel.search.model import DocKind, IndexDoc, SearchHit, SearchIndex, SearchPage, SearchQuery
from longcheng.intel.search.text import Term, fold, highlight, index_words, parse_terms, query_words

_BIGRAM, _WORDS, _CHARS = "zh_bigram", "zh_words", "zh_chars"
_TITLE_BOOST = 3.0
_CHAR_WEIGHT = 0.5
_EXACT_PHRASE_LIMIT = 10_000
_WRITER_HEAP = 128_000_000


class SearchIndexUnavailable(LongchengError):
    code = "intel.search_index_unavailable"
    status = 503
    message = "搜索索引无法打开（可能正被其他进程写入，或格式已变化需要重建）。"


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in ("id", "kind", "place", "fact_kind"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in ("published", "amount"):
        builder.add_integer_field(name, indexed=True, fast=True)
    for part in ("title", "body"):
        builder.add_text_field(f"{part}_c", tokenizer_name=_CHARS)
        builder.add_text_field(f"{part}_2", tokenizer_name=_BIGRAM, index_option="freq")
        builder.add_text_field(f"{part}_w", tokenizer_name=_WORDS, index_option="freq")
    builder.add_bytes_field("store", stored=True)
    return builder.build()


def _analyzers() -> dict[str, tantivy.TextAnalyzer]:
    lower = tantivy.Filter.lowercase()
    build = tantivy.TextAnalyzerBuilder
    return {
        _BIGRAM: build(tantivy.Tokenizer.ngram(2, 2, False)).filter(lower).build(),
        _WORDS: build(tantivy.Tokenizer.whitespace()).filter(tantivy.Filter.alphanum_only()).build(),
        _CHARS: build(tantivy.Tokenizer.whitespace()).filter(lower).build(),
    }


class TantivyIndex(SearchIndex):
    """A tantivy index in ``path`` (created if missing), or in memory when ``path`` is None."""

    def __init__(self, path: Path | None = None) -> None:
        self.schema = _schema()
        try:
            if path is None:
                self._index = tantivy.Index(self.schema)
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._index = tantivy.Index(self.schema, path=str(path), reuse=True)
        except ValueError as exc:
            raise SearchIndexUnavailable() from exc
        for name, analyzer in _analyzers().items():
            self._index.register_tokenizer(name, analyzer)
        self._writer: tantivy.IndexWriter | None = None
        self._started_empty = self._index.searcher().num_docs == 0
        self._queued: set[str] = set()

    # ------------------------------------------------------------------ writing

    def _open_writer(self) -> tantivy.IndexWriter:
        if self._writer is None:
            try:
                self._writer = self._index.writer(heap_size=_WRITER_HEAP)
            except ValueError as exc:
                raise SearchIndexUnavailable() from exc
        return self._writer

    def add(self, docs: Iterable[IndexDoc]) -> int:
        writer = self._open_writer()
        count = 0
        for doc in docs:
            if not self._started_empty or doc.id in self._queued:
                writer.delete_documents_by_term("id", doc.id)
            self._queued.add(doc.id)
            writer.add_document(_document(doc))
            count += 1
        return count

    def delete(self, doc_ids: Iterable[str]) -> None:
        writer = self._open_writer()
        for doc_id in doc_ids:
            writer.delete_documents_by_term("id", doc_id)
            self._queued.discard(doc_id)
        self._started_empty = False

    def commit(self) -> None:
        if self._writer is not None:
            self._writer.commit()
            self._index.reload()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.wait_merging_threads()
            self._writer = None

    def __enter__(self) -> TantivyIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    def search(self, query: SearchQuery) -> SearchPage:
        terms = parse_terms(query.text)
        searcher = self._index.searcher()
        if not terms:
            return self._listing(searcher, query)
        loose = [term for term in terms if self._too_common(searcher, term)]
        clauses = [(tantivy.Occur.Must, self._required(term, exact=term not in loose)) for term in terms]
        clauses += [(tantivy.Occur.Should, q) for term in terms for q in self._ranking(term)]
        clauses += [(tantivy.Occur.Must, q) for q in self._filters(query)]
        wanted = query.limit * 2 if loose else query.limit
        found = searcher.search(tantivy.Query.boolean_query(clauses), wanted, offset=query.offset)
        items = [(float(score), _stored(searcher.doc(address))) for score, address in found.hits]
        if loose:  # bigrams matched; keep the hits where the phrase really is
            items = [(score, item) for score, item in items if _contains(item, loose)]
        needles = [term.text for term in terms]
        hits = tuple(_hit(item, score, needles) for score, item in items[: query.limit])
        return SearchPage(total=_count(found), hits=hits, total_is_estimate=bool(loose))

    def _listing(self, searcher: tantivy.Searcher, query: SearchQuery) -> SearchPage:
        """No words: everything passing the filters, newest first."""
        filters = self._filters(query)
        listing = (
            tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for q in filters])
            if filters
            else tantivy.Query.all_query()
        )
        found = searcher.search(
            listing, query.limit, offset=query.offset, order_by_field="published", order=tantivy.Order.Desc
        )
        hits = tuple(_hit(_stored(searcher.doc(address)), 0.0, []) for _, address in found.hits)
        return SearchPage(total=_count(found), hits=hits)

    @staticmethod
    def _too_common(searcher: tantivy.Searcher, term: Term) -> bool:
        """A term of 3+ characters that are all very common: checking positions would be slow.

        A phrase query walks the positions of every item holding all its characters; when even
        the rarest character is in more than ``_EXACT_PHRASE_LIMIT`` items, the term is matched
        by its bigrams instead and the hits are checked in Python.
        """
        chars = _chars(term.text)
        if len(chars) < 3:
            return False
        return min(searcher.doc_freq("body_c", ch) for ch in set(chars)) > _EXACT_PHRASE_LIMIT

    def _required(self, term: Term, *, exact: bool) -> tantivy.Query:
        """Items containing the term, in the title (weighted up) or the body."""
        chars = _chars(term.text)
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, self._boost(self._exact("title", chars, exact), _TITLE_BOOST)),
                (tantivy.Occur.Should, self._boost(self._exact("body", chars, exact), _CHAR_WEIGHT)),
            ]
        )

    def _exact(self, part: str, chars: list[str], exact: bool) -> tantivy.Query:
        """One character: a term; two: a bigram term; more: a phrase, or all its bigrams."""
        if len(chars) == 1:
            return self._term(f"{part}_c", chars[0])
        if len(chars) == 2 or not exact:
            bigrams = sorted({a + b for a, b in itertools.pairwise(chars)})
            clauses = [(tantivy.Occur.Must, self._term(f"{part}_2", bigram)) for bigram in bigrams]
            return clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        return tantivy.Query.phrase_query(self.schema, f"{part}_c", list(chars))

    def _ranking(self, term: Term) -> list[tantivy.Query]:
        """Word-level BM25: the term's words in the body, and (boosted) in the title."""
        words = query_words(term.text) if term.phrase else [term.text]
        queries: list[tantivy.Query] = []
        for word in words:
            queries.append(self._term("body_w", word))
            queries.append(self._boost(self._term("title_w", word), _TITLE_BOOST))
        return queries

    def _filters(self, query: SearchQuery) -> list[tantivy.Query]:
        filters: list[tantivy.Query] = []
        for name, value in (("kind", query.kind), ("place", query.place), ("fact_kind", query.fact_kind)):
            if value is not None:
                filters.append(self._term(name, value))
        days = (_day(query.date_from), _day(query.date_to))
        for name, (low, high) in (
            ("published", days),
            ("amount", (query.amount_min_fen, query.amount_max_fen)),
        ):
            if low is not None or high is not None:
                filters.append(
                    tantivy.Query.range_query(self.schema, name, tantivy.FieldType.Integer, low, high)
                )
        return [tantivy.Query.const_score_query(q, 0.0) for q in filters]

    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    @staticmethod
    def _boost(query: tantivy.Query, weight: float) -> tantivy.Query:
        return tantivy.Query.boost_query(query, weight)


def _day(value: date | None) -> int | None:
    return value.toordinal() if value else None


def _document(doc: IndexDoc) -> tantivy.Document:
    title, text = fold(doc.title), fold(doc.text)
    stored = [
        doc.id,
        doc.kind,
        doc.title,
        doc.text,
        _day(doc.published),
        doc.place,
        doc.fact_kind,
        doc.amount_fen,
    ]
    fields: dict[str, Any] = {
        "id": doc.id,
        "kind": doc.kind,
        "title_c": " ".join(title),
        "body_c": " ".join(text),
        "title_2": title,
        "body_2": text,
        "title_w": index_words(title),
        "body_w": index_words(text),
        "store": json.dumps(stored, ensure_ascii=False).encode(),
    }
    optional = {
        "place": doc.place,
        "fact_kind": doc.fact_kind,
        "published": _day(doc.published),
        "amount": doc.amount_fen,
    }
    fields.update({name: value for name, value in optional.items() if value is not None})
    return tantivy.Document(**fields)


def _chars(text: str) -> list[str]:
    return [ch for ch in text if not ch.isspace()]


def _count(found: tantivy.SearchResult) -> int:
    return int(getattr(found, "count", 0) or 0)


def _stored(doc: tantivy.Document) -> list[Any]:
    """[id, kind, title, text, day, place, fact_kind, amount] as indexed."""
    return cast(list[Any], json.loads(cast(bytes, doc.get_first("store"))))


def _contains(item: list[Any], terms: list[Term]) -> bool:
    haystack = "".join(_chars(fold(f"{item[2]}\n{item[3]}")))
    return all("".join(_chars(term.text)) in haystack for term in terms)


def _hit(item: list[Any], score: float, needles: list[str]) -> SearchHit:
    doc_id, kind, title, text, day, place, fact_kind, amount = item
    return SearchHit(
        id=doc_id,
        kind=cast(DocKind, kind),
        score=score,
        title=title,
        snippet_html=highlight(text, needles),
        title_html=highlight(title, needles, width=max(len(title), 1)),
        published=date.fromordinal(day) if day is not None else None,
        place=place,
        fact_kind=fact_kind,
        amount_fen=amount,
    )


__all__ = ["SearchIndexUnavailable", "TantivyIndex"]
