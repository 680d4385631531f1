"""Search over articles and facts, and keeping the search index in step with the database.

The database is the record; the index at ``data_dir/search`` is derived data behind the
:class:`~longcheng.intel.search.SearchIndex` interface, written after the database commits
(``index_items``) and rebuilt from the database by ``longcheng intel reindex`` (:func:`reindex`).
Index ids are ``doc:<article id>`` and ``fact:<fact id>``; hits are resolved against the database,
so an item the database no longer holds is never shown.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.paging import PageNumbers
from longcheng.intel import permissions as perm
from longcheng.intel.models import Article, Fact
from longcheng.intel.schemas import SearchForm
from longcheng.intel.search import (
    IndexDoc,
    SearchHit,
    SearchIndex,
    SearchIndexUnavailable,
    SearchQuery,
    open_index,
)

log = logging.getLogger(__name__)
_WRITE_LOCK = threading.Lock()
_LOCK_RETRIES = 20
_BATCH = 2000


def index_path(data_dir: Path) -> Path:
    return data_dir / "search"


def article_row_doc(article_id: int, row: Mapping[str, Any]) -> IndexDoc:
    """An article as an index item, from its stored values."""
    return IndexDoc(
        id=f"doc:{article_id}",
        kind="document",
        title=row["title"],
        text=row["body"],
        published=row["published"],
        place=row["place"],
    )


def fact_row_doc(fact_id: int, row: Mapping[str, Any], article_title: str) -> IndexDoc:
    """A fact is found by its sentence; its title names what it is about."""
    subject = row["project"] or row["org"] or article_title
    return IndexDoc(
        id=f"fact:{fact_id}",
        kind="fact",
        title=f"{subject}：{row['cue']}",
        text=row["sentence"],
        published=row["published"],
        place=row["district"],
        fact_kind=row["kind"],
        amount_fen=row["amount_fen"],
    )


_ARTICLE_KEYS = ("title", "body", "published", "place")
_FACT_KEYS = ("project", "org", "cue", "sentence", "published", "district", "kind", "amount_fen")


def article_doc(article: Article) -> IndexDoc:
    return article_row_doc(article.id, {k: getattr(article, k) for k in _ARTICLE_KEYS})


def fact_doc(fact: Fact, article_title: str) -> IndexDoc:
    return fact_row_doc(fact.id, {k: getattr(fact, k) for k in _FACT_KEYS}, article_title)


def _open_for_writing(path: Path) -> SearchIndex:
    """Another process (a CLI run) may hold the writer for a while: wait a little for it."""
    for attempt in range(_LOCK_RETRIES):
        try:
            index = open_index(path)
            index.add([])  # takes the writer lock now, so a busy index fails here
            return index
        except SearchIndexUnavailable:
            if attempt == _LOCK_RETRIES - 1:
                raise
            time.sleep(0.25)
    raise SearchIndexUnavailable()


def index_items(data_dir: Path, docs: Iterable[IndexDoc]) -> int:
    """Add ``docs`` to the index and commit; call after the database transaction committed."""
    items = list(docs)
    if not items:
        return 0
    with _WRITE_LOCK:
        index = _open_for_writing(index_path(data_dir))
        try:
            count = index.add(items)
            index.commit()
        finally:
            index.close()
    return count


def index_items_quietly(data_dir: Path, docs: Iterable[IndexDoc]) -> None:
    """:func:`index_items` for a background task: a failure is logged, ``reindex`` repairs it."""
    try:
        index_items(data_dir, docs)
    except Exception:  # noqa: BLE001 - derived data; the database already holds everything
        log.exception("intel: indexing failed; run `longcheng intel reindex`")


def iter_index_docs(session: Session) -> Iterator[IndexDoc]:
    """Every article and fact of the database as index items, read in batches."""
    titles: dict[int, str] = {}
    last = 0
    while True:
        batch = list(
            session.scalars(select(Article).where(Article.id > last).order_by(Article.id).limit(_BATCH))
        )
        if not batch:
            break
        for article in batch:
            titles[article.id] = article.title
            yield article_doc(article)
        last = batch[-1].id
    last = 0
    while True:
        facts = list(session.scalars(select(Fact).where(Fact.id > last).order_by(Fact.id).limit(_BATCH)))
        if not facts:
            break
        for fact in facts:
            yield fact_doc(fact, titles.get(fact.article_id, ""))
        last = facts[-1].id


def reindex(
    session: Session, *, actor: Actor, data_dir: Path, on_item: Callable[[], None] | None = None
) -> int:
    """Rebuild the search index from the database; the old index stays searchable until done.

    The new index is written beside the old one and moved into place at the end.
    """
    require(actor, perm.REINDEX)
    target = index_path(data_dir)
    fresh = target.with_name(target.name + ".new")
    _remove_tree(fresh)
    index = open_index(fresh)
    count = 0
    try:
        for doc in iter_index_docs(session):
            index.add([doc])
            count += 1
            if on_item is not None:
                on_item()
        index.commit()
    finally:
        index.close()
    with _WRITE_LOCK:
        old = target.with_name(target.name + ".old")
        _remove_tree(old)
        if target.exists():
            target.rename(old)
        fresh.rename(target)
        _remove_tree(old)
    return count


def _remove_tree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


@dataclass(frozen=True)
class ResultItem:
    """A search hit with what a page needs to link to it."""

    hit: SearchHit
    document_id: int
    article_id: int
    fact_id: int | None


@dataclass(frozen=True)
class ResultPage(PageNumbers):
    items: list[ResultItem]
    total: int
    total_is_estimate: bool
    page: int
    page_size: int


def search(session: Session, *, actor: Actor, data_dir: Path, form: SearchForm) -> ResultPage:
    """One page of ranked hits (newest first without words), each resolved to its article."""
    require(actor, perm.INTEL_READ)
    query = SearchQuery(
        text=form.q,
        date_from=form.date_from,
        date_to=form.date_to,
        place=form.place,
        kind=form.kind,
        fact_kind=form.fact_kind,
        amount_min_fen=form.min_fen,
        amount_max_fen=form.max_fen,
        limit=form.page_size,
        offset=(form.page - 1) * form.page_size,
    )
    index = open_index(index_path(data_dir))
    try:
        found = index.search(query)
    finally:
        index.close()
    items = _resolve(session, found.hits)
    return ResultPage(items, found.total, found.total_is_estimate, form.page, form.page_size)


def _resolve(session: Session, hits: Iterable[SearchHit]) -> list[ResultItem]:
    hits = list(hits)
    article_ids = [int(h.id[4:]) for h in hits if h.id.startswith("doc:")]
    fact_ids = [int(h.id[5:]) for h in hits if h.id.startswith("fact:")]
    stmt = select(Article.id, Article.document_id).where(Article.id.in_(article_ids))
    articles: dict[int, int] = {row.id: row.document_id for row in session.execute(stmt)}
    facts = {
        f: (d, a)
        for f, d, a in session.execute(
            select(Fact.id, Fact.document_id, Fact.article_id).where(Fact.id.in_(fact_ids))
        )
    }
    out: list[ResultItem] = []
    for hit in hits:
        if hit.id.startswith("doc:") and int(hit.id[4:]) in articles:
            article_id = int(hit.id[4:])
            out.append(ResultItem(hit, articles[article_id], article_id, None))
        elif hit.id.startswith("fact:") and int(hit.id[5:]) in facts:
            fact_id = int(hit.id[5:])
            document_id, article_id = facts[fact_id]
            out.append(ResultItem(hit, document_id, article_id, fact_id))
    return out
