"""Ingest (入库): a file in, its document, new articles, facts and links stored, audited.

One call of :func:`ingest_data` handles one file in the caller's transaction:

1. ``ingest.ingest_bytes`` decodes and splits it (bad input raises an ``IngestError``, which
   becomes a *skipped* outcome with its code and Chinese reason; nothing is stored);
2. a file whose bytes were stored before, or whose articles are all stored already (the same
   text in another encoding or format), is a *duplicate* and stores nothing;
3. otherwise the bytes and the decoded text go to the file store, and the document, its new
   articles, their facts (the extractor, with the registry's names as ``known_orgs``) and the
   facts' links (``service.links``) go to the database, with one audit record for the document.

The outcome carries the index items to add once the transaction has committed.
"""

from __future__ import annotations

import calendar
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.files import FileStore
from longcheng.intel import ingest
from longcheng.intel import permissions as perm
from longcheng.intel.extractor import Extractor
from longcheng.intel.extractor import Fact as Found
from longcheng.intel.extractor.gazetteer import PLACES, PlaceMatcher, most_specific
from longcheng.intel.linker import OrgDirectory
from longcheng.intel.models import Article, Document, Fact
from longcheng.intel.search import IndexDoc
from longcheng.intel.service.links import (
    LinkCounts,
    Row,
    insert_rows,
    load_directory,
    plan_links,
    store_links,
)
from longcheng.intel.service.search import article_row_doc, fact_row_doc
from longcheng.intel.service.storage import TEXT, library
from longcheng.registry import service as registry_service

_MAX_FEN = 2**63 - 1
_DISTRICT_OF = {p.code: p.district for p in PLACES}


@dataclass
class IngestContext:
    """What every file of one run shares: the extractor and the registry's names, built once."""

    extractor: Extractor
    directory: OrgDirectory
    store: FileStore
    max_bytes: int
    places: PlaceMatcher = field(default_factory=PlaceMatcher)


_NAMES: dict[str, tuple[tuple[int, int, str], OrgDirectory, Extractor]] = {}
_NAMES_LOCK = threading.Lock()


def _names(session: Session, actor: Actor) -> tuple[OrgDirectory, Extractor]:
    """The registry's names as a linker and an extractor, kept per database until the registry changes
    (building them for 100,000 organisations takes seconds; an upload should not pay that each time)."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    version = registry_service.names_version(session, actor=actor)
    with _NAMES_LOCK:
        cached = _NAMES.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    directory = load_directory(session, actor=actor)
    extractor = Extractor(known_orgs=directory.names())
    with _NAMES_LOCK:
        _NAMES[key] = (version, directory, extractor)
    return directory, extractor


def prepare(session: Session, *, actor: Actor, data_dir: Path, max_bytes: int) -> IngestContext:
    """What a run needs: the registry's names (loaded once per registry version), the file store."""
    require(actor, perm.INGEST)
    directory, extractor = _names(session, actor)
    return IngestContext(
        extractor=extractor, directory=directory, store=library(data_dir), max_bytes=max_bytes
    )


@dataclass
class FileOutcome:
    """What happened to one file: ``stored``, ``duplicate`` or ``skipped`` (with a reason)."""

    name: str
    status: str
    code: str = ""
    message: str = ""
    document_id: int | None = None
    articles: int = 0
    duplicate_articles: int = 0
    facts: int = 0
    links: LinkCounts = field(default_factory=LinkCounts)
    warnings: tuple[str, ...] = ()
    project_evidence: int = 0  # facts the projects module matched to a project
    project_leads: int = 0  # unmatched signings and starts kept as possible new leads
    fact_ids: list[int] = field(default_factory=list, repr=False)
    index_docs: list[IndexDoc] = field(default_factory=list, repr=False)


def skipped(name: str, error: ingest.IngestError) -> FileOutcome:
    return FileOutcome(name, "skipped", code=error.code_text, message=error.message_text)


def too_large(name: str, size: int, max_bytes: int) -> ingest.FileTooLarge:
    return ingest.FileTooLarge(
        f"文件 {name} 大小为 {size / 1048576:.1f} MB，超过导入上限 {max_bytes / 1048576:.1f} MB，"
        "已拒绝导入，未读取内容。请拆分文件后再导入。",
        details={"size": size, "max_bytes": max_bytes},
    )


def ingest_path(session: Session, *, actor: Actor, ctx: IngestContext, path: Path) -> FileOutcome:
    """One file from disk; its size is checked before a byte is read."""
    try:
        size = path.stat().st_size
        if size > ctx.max_bytes:
            return skipped(path.name, too_large(path.name, size, ctx.max_bytes))
        data = path.read_bytes()
    except OSError:
        return skipped(path.name, ingest.FileMissing(f"无法读取文件 {path}，请检查路径和权限。"))
    return ingest_data(session, actor=actor, ctx=ctx, data=data, name=path.name)


def ingest_data(session: Session, *, actor: Actor, ctx: IngestContext, data: bytes, name: str) -> FileOutcome:
    """One file's bytes (from disk or an upload) into the library; see the module docstring."""
    require(actor, perm.INGEST)
    try:
        result = ingest.ingest_bytes(data, name, max_bytes=ctx.max_bytes)
    except ingest.IngestError as exc:
        return skipped(name, exc)
    stored = session.scalar(select(Document).where(Document.sha256 == result.file_sha256))
    if stored is not None:
        return FileOutcome(
            name,
            "duplicate",
            code="intel.duplicate_file",
            message=f"与已入库的文件《{stored.name}》完全相同，未重复保存。",
            document_id=stored.id,
        )
    fresh, repeated = _new_articles(session, result.articles)
    warnings = tuple(w.message for w in result.warnings)
    if not result.articles:
        return FileOutcome(
            name,
            "skipped",
            code="intel.no_articles",
            message="去除导航、版权等页面杂项后没有找到正文，未保存任何内容。",
            warnings=warnings,
        )
    if not fresh:
        message = f"文件中的 {repeated} 篇文章均已入库（同一内容的其他文件或编码），未重复保存。"
        return FileOutcome(
            name, "duplicate", code="intel.duplicate_articles", message=message, duplicate_articles=repeated
        )
    return _store(session, actor, ctx, data, result, fresh, repeated, warnings)


def _new_articles(
    session: Session, articles: Sequence[ingest.Article]
) -> tuple[list[tuple[str, ingest.Article]], int]:
    """Articles not stored yet (by content hash), each once; and how many were repeats."""
    hashed = [(ingest.content_hash(a), a) for a in articles]
    known = set(
        session.scalars(select(Article.content_hash).where(Article.content_hash.in_({h for h, _ in hashed})))
    )
    fresh: dict[str, ingest.Article] = {}
    for digest, article in hashed:
        if digest not in known:
            fresh.setdefault(digest, article)
    return list(fresh.items()), len(hashed) - len(fresh)


def _store(
    session: Session,
    actor: Actor,
    ctx: IngestContext,
    data: bytes,
    result: ingest.IngestResult,
    fresh: list[tuple[str, ingest.Article]],
    repeated: int,
    warnings: tuple[str, ...],
) -> FileOutcome:
    """The document row, then its articles, facts and links as multi-row inserts."""
    ctx.store.put(data)
    document = _document(actor, ctx, data, result, len(fresh), warnings)
    session.add(document)
    session.flush()
    outcome = FileOutcome(document.name, "stored", document_id=document.id, warnings=warnings)
    outcome.duplicate_articles, outcome.articles = repeated, len(fresh)
    plans = [_article(ctx, document.id, seq, digest, found) for seq, (digest, found) in enumerate(fresh)]
    article_ids = insert_rows(session, Article, [row for row, _ in plans])
    facts: list[Row] = []
    for article_id, (article, article_facts) in zip(article_ids, plans, strict=True):
        facts += [fact | {"article_id": article_id} for fact in article_facts]
        outcome.index_docs.append(article_row_doc(article_id, article))
    planned, outcome.links = plan_links(ctx.directory, facts)
    outcome.fact_ids = insert_rows(session, Fact, facts)
    store_links(session, planned, outcome.fact_ids)
    titles = {article_id: row["title"] for article_id, (row, _) in zip(article_ids, plans, strict=True)}
    outcome.index_docs += [
        fact_row_doc(fact_id, row, titles[row["article_id"]])
        for fact_id, row in zip(outcome.fact_ids, facts, strict=True)
    ]
    document.fact_count = outcome.facts = len(facts)
    _audit(session, actor, document, outcome)
    return outcome


def _document(
    actor: Actor,
    ctx: IngestContext,
    data: bytes,
    result: ingest.IngestResult,
    articles: int,
    warnings: tuple[str, ...],
) -> Document:
    """The document row; its decoded text goes to the file store."""
    return Document(
        sha256=result.file_sha256,
        name=result.path.name[:255],
        encoding=result.encoding,
        kind=result.kind,
        size=len(data),
        text_sha256=ctx.store.put(result.text.encode("utf-8"), TEXT),
        text_chars=len(result.text),
        warnings="\n".join(warnings),
        created_by=actor.label,
        article_count=articles,
    )


def _article(
    ctx: IngestContext, document_id: int, seq: int, digest: str, found: ingest.Article
) -> tuple[Row, list[Row]]:
    """An article's row and the rows of the facts extracted from it."""
    extracted = ctx.extractor.extract(found.text, extraction_base(found.date, found.date_precision))
    facts = [_fact(document_id, found, f) for f in extracted if f.amount.high_fen <= _MAX_FEN]
    place = _article_place(ctx, found.title, facts)
    for fact in facts:  # a sentence naming no place is about the article's district
        fact["district"] = fact["district"] or place
    article = {
        "document_id": document_id,
        "seq": seq,
        "content_hash": digest,
        "title": found.title,
        "body": found.body,
        "published": found.date,
        "date_precision": found.date_precision,
        "date_text": (found.date_text or "")[:60] or None,
        "source": (found.source or "")[:200] or None,
        "file_start": found.start,
        "file_end": found.end,
        "place": place,
    }
    return article, facts


def extraction_base(published: date | None, precision: str | None) -> date | None:
    """The date relative expressions resolve against: the end of a month or year given alone,
    so that "今年" stays in that year and "3月" is not pushed back a year."""
    if published is None:
        return None
    if precision == "year":
        return date(published.year, 12, 31)
    if precision == "month":
        return date(published.year, published.month, calendar.monthrange(published.year, published.month)[1])
    return published


def _fact(document_id: int, found: ingest.Article, fact: Found) -> Row:
    amount = fact.amount
    file_start, file_end = found.file_span(amount.start, amount.end)
    precise = found.date is not None and found.date_precision in ("day", "month")
    return {
        "document_id": document_id,
        "start": amount.start,
        "end": amount.end,
        "file_start": file_start,
        "file_end": file_end,
        "cue_start": fact.cue_span[0],
        "cue_end": fact.cue_span[1],
        "sentence_start": fact.sentence_span[0],
        "sentence_end": fact.sentence_span[1],
        "amount_text": amount.text[:80],
        "cue": fact.cue[:200],
        "sentence": found.text[fact.sentence_span[0] : fact.sentence_span[1]],
        "kind": fact.kind,
        "event": fact.event,
        "planned": fact.planned,
        "aggregate": fact.aggregate,
        "value_fen": amount.value_fen,
        "low_fen": amount.low_fen,
        "high_fen": amount.high_fen,
        "amount_fen": amount.low_fen,
        "currency": amount.currency,
        "qualifier": amount.qualifier.value,
        "project": (fact.project or "")[:200] or None,
        "org": (fact.org or "")[:200] or None,
        "orgs": "\n".join(fact.orgs),
        "place": fact.place,
        "place_name": fact.place_name,
        "district": _DISTRICT_OF.get(fact.place or ""),
        "fact_date": fact.date,
        "published": found.date,
        "month": found.date.strftime("%Y-%m") if precise and found.date else None,
        "org_uscc": None,
    }


def _article_place(ctx: IngestContext, title: str, facts: list[Row]) -> str | None:
    """The district an article is about: named in its title, else the most common among its facts."""
    place = most_specific(ctx.places.find(title), 0)
    if place is not None and place.district:
        return place.district
    districts = Counter(f["district"] for f in facts if f["district"])
    return districts.most_common(1)[0][0] if districts else None


def _audit(session: Session, actor: Actor, document: Document, outcome: FileOutcome) -> None:
    audit.record(
        session,
        actor=actor,
        action="intel.document.ingest",
        entity_type="intel_document",
        entity_id=document.id,
        after={
            "name": document.name,
            "sha256": document.sha256,
            "kind": document.kind,
            "encoding": document.encoding,
            "articles": outcome.articles,
            "duplicate_articles": outcome.duplicate_articles,
            "facts": outcome.facts,
            "links_auto": outcome.links.auto,
            "links_proposed": outcome.links.proposed,
        },
    )


def ingest_upload(
    session: Session, *, actor: Actor, data_dir: Path, max_bytes: int, data: bytes, name: str
) -> FileOutcome:
    """One uploaded file (web page or API), with the registry's names loaded for it."""
    ctx = prepare(session, actor=actor, data_dir=data_dir, max_bytes=max_bytes)
    return ingest_data(session, actor=actor, ctx=ctx, data=data, name=name)
