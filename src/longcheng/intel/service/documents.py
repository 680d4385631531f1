"""Reading the library's documents: the file list, one file, its articles, facts and text.

Every function takes the session first (where it reads the database) and the acting user as
``actor``; the original bytes and the decoded text come from the content-addressed ``storage``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.core.paging import Page, paginate
from longcheng.intel import permissions as perm
from longcheng.intel.models import Article, Document, Fact
from longcheng.intel.schemas import DocumentFilter
from longcheng.intel.service.storage import TEXT, library


def list_documents(
    session: Session, *, actor: Actor, filters: DocumentFilter, page: int = 1, page_size: int = 20
) -> Page[Document]:
    """Ingested files, newest first; ``q`` matches the file name or any article title."""
    require(actor, perm.INTEL_READ)
    conds: list[ColumnElement[bool]] = []
    if filters.q:
        titles = select(Article.document_id).where(Article.title.contains(filters.q, autoescape=True))
        conds.append(or_(Document.name.contains(filters.q, autoescape=True), Document.id.in_(titles)))
    if filters.kind:
        conds.append(Document.kind == filters.kind)
    stmt = select(Document).where(*conds).order_by(Document.created_at.desc(), Document.id.desc())
    count = select(func.count(Document.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def get_document(session: Session, *, actor: Actor, document_id: int) -> Document:
    require(actor, perm.INTEL_READ)
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound("未找到该文件。", code="intel.document_not_found")
    return document


def articles_of(session: Session, *, actor: Actor, document: Document) -> list[Article]:
    require(actor, perm.INTEL_READ)
    return list(
        session.scalars(select(Article).where(Article.document_id == document.id).order_by(Article.seq))
    )


def facts_of(session: Session, *, actor: Actor, document: Document) -> list[Fact]:
    """The document's facts in reading order (article, then position)."""
    require(actor, perm.INTEL_READ)
    stmt = (
        select(Fact)
        .join(Article, Article.id == Fact.article_id)
        .where(Fact.document_id == document.id)
        .order_by(Article.seq, Fact.start)
    )
    return list(session.scalars(stmt))


def original(document: Document, *, actor: Actor, data_dir: Path) -> bytes:
    """The file as it was received (content-addressed store)."""
    require(actor, perm.INTEL_READ)
    return library(data_dir).read(document.sha256)


def decoded_text(document: Document, *, actor: Actor, data_dir: Path) -> str:
    """The document's decoded text: ``file_start``/``file_end`` of its facts point into it."""
    require(actor, perm.INTEL_READ)
    return library(data_dir).read(document.text_sha256, TEXT).decode("utf-8")
