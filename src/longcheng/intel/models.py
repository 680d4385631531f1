"""Tables of the intel module: documents, articles, facts and the links of facts to the registry.

* ``intel_document`` — one ingested file (文件): its sha256, name, encoding and kind; the bytes
  and the decoded text live content-addressed under ``data_dir/files`` (``service.storage``).
* ``intel_article`` — one article (文章) found in a document; ``content_hash`` is unique, so an
  article ingested twice (another file, another encoding) is stored once.
* ``intel_fact`` — one money fact (事实) the extractor found, with its spans in the article text
  and in the document text, the cue and the sentence it came from.
* ``intel_link`` — a fact attached to a registry organisation (by USCC) or place (by code):
  auto (自动), proposed (待确认), confirmed (已确认) or rejected (已驳回).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class LinkStatus(StrEnum):
    auto = "auto"  # 自动关联 (exact name, former name, confident fuzzy match, gazetteer)
    proposed = "proposed"  # 待确认
    confirmed = "confirmed"  # 已确认
    rejected = "rejected"  # 已驳回

    @property
    def label(self) -> str:
        return LINK_STATUS_LABELS[self]


LINK_STATUS_LABELS = {
    LinkStatus.auto: "自动关联",
    LinkStatus.proposed: "待确认",
    LinkStatus.confirmed: "已确认",
    LinkStatus.rejected: "已驳回",
}
#: Links that make a fact belong to an organisation (what an enterprise user may see).
HOLDING = (LinkStatus.auto.value, LinkStatus.confirmed.value)


class Document(Base):
    """One ingested file; ``sha256`` is the hash of its bytes, ``text_sha256`` of its decoded text."""

    __tablename__ = "intel_document"
    __table_args__ = (Index("ix_intel_document_created", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    encoding: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))  # text, html, pdf
    size: Mapped[int] = mapped_column(BigInteger)
    text_sha256: Mapped[str] = mapped_column(String(64))
    text_chars: Mapped[int] = mapped_column(Integer)
    article_count: Mapped[int] = mapped_column(Integer, default=0)
    fact_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[str] = mapped_column(Text, default="")  # one Chinese message per line
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    articles: Mapped[list[Article]] = relationship(
        back_populates="document", order_by="Article.seq", lazy="raise"
    )

    @property
    def warning_list(self) -> list[str]:
        return [w for w in self.warnings.splitlines() if w.strip()]


class Article(Base):
    """One article of a document: title, body, publication date and where it sits in the file."""

    __tablename__ = "intel_article"
    __table_args__ = (
        Index("ix_intel_article_document", "document_id", "seq"),
        Index("ix_intel_article_published", "published", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("intel_document.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(10))
    date_text: Mapped[str | None] = mapped_column(String(60))
    source: Mapped[str | None] = mapped_column(String(200))
    file_start: Mapped[int] = mapped_column(Integer)
    file_end: Mapped[int] = mapped_column(Integer)
    place: Mapped[str | None] = mapped_column(String(30))  # registry district of the article, if any

    document: Mapped[Document] = relationship(back_populates="articles", lazy="raise")

    @property
    def text(self) -> str:
        """The text the extractor read; fact spans are offsets into it."""
        return f"{self.title}\n{self.body}"


class Fact(Base):
    """A money fact from an article. Money is integer fen with an ISO currency.

    ``start``/``end`` (the amount), ``cue_start``/``cue_end`` and ``sentence_start``/
    ``sentence_end`` are offsets into :attr:`Article.text`; ``file_start``/``file_end`` locate the
    amount in the document's stored text. ``amount_fen`` is the value, or the low bound of a
    range, for sorting, filtering and sums. ``org_uscc`` is the registry organisation the fact
    is linked to (automatically or confirmed by an analyst).
    """

    __tablename__ = "intel_fact"
    __table_args__ = (
        Index("ix_intel_fact_article", "article_id", "start"),
        Index("ix_intel_fact_document", "document_id"),
        Index("ix_intel_fact_published", "published", "id"),
        Index("ix_intel_fact_kind_month", "kind", "month"),
        Index("ix_intel_fact_org", "org_uscc"),
        Index("ix_intel_fact_created", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("intel_document.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("intel_article.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    file_start: Mapped[int] = mapped_column(Integer)
    file_end: Mapped[int] = mapped_column(Integer)
    cue_start: Mapped[int] = mapped_column(Integer)
    cue_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    amount_text: Mapped[str] = mapped_column(String(80))
    cue: Mapped[str] = mapped_column(String(200))
    sentence: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    event: Mapped[str | None] = mapped_column(String(20))
    planned: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The amount totals many projects or firms (新签约项目34个, 累计, 合计): never one project's.
    aggregate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    value_fen: Mapped[int | None] = mapped_column(BigInteger)
    low_fen: Mapped[int] = mapped_column(BigInteger)
    high_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    qualifier: Mapped[str] = mapped_column(String(20))
    project: Mapped[str | None] = mapped_column(String(200))
    org: Mapped[str | None] = mapped_column(String(200))
    orgs: Mapped[str] = mapped_column(Text, default="")  # every organisation of the sentence, one per line
    place: Mapped[str | None] = mapped_column(String(30))  # gazetteer code (district, zone or town)
    place_name: Mapped[str | None] = mapped_column(String(60))
    # registry district of the fact's place; when its sentence names none, of its article
    district: Mapped[str | None] = mapped_column(String(30))
    fact_date: Mapped[str | None] = mapped_column(String(30))  # as resolved: 2023-03, 2023-01/2023-04
    published: Mapped[date | None] = mapped_column(Date)
    month: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM of ``published``
    org_uscc: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    article: Mapped[Article] = relationship(lazy="raise")
    document: Mapped[Document] = relationship(lazy="raise")

    @property
    def org_list(self) -> list[str]:
        return [o for o in self.orgs.splitlines() if o.strip()]

    @property
    def is_range(self) -> bool:
        return self.value_fen is None

    def audit_view(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "event": self.event,
            "amount_fen": self.amount_fen,
            "currency": self.currency,
            "org": self.org,
            "org_uscc": self.org_uscc,
            "place": self.place,
        }


class Link(Base):
    """A fact attached to a registry organisation (``target_type`` "org", ``target`` a USCC) or
    place ("place", a registry place code). ``score`` is 0–100; ``method`` says how it was found:
    exact, former_name, fuzzy, gazetteer or manual."""

    __tablename__ = "intel_link"
    __table_args__ = (
        UniqueConstraint("fact_id", "target_type", "target", name="uq_intel_link_target"),
        Index("ix_intel_link_status", "status", "score", "id"),
        Index("ix_intel_link_target", "target_type", "target", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fact_id: Mapped[int] = mapped_column(ForeignKey("intel_fact.id", ondelete="CASCADE"))
    target_type: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(30))
    target_name: Mapped[str] = mapped_column(String(200))
    mention: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))
    score: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    fact: Mapped[Fact] = relationship(lazy="raise")

    @property
    def status_label(self) -> str:
        return LinkStatus(self.status).label

    def audit_view(self) -> dict[str, object]:
        return {
            "fact_id": self.fact_id,
            "target_type": self.target_type,
            "target": self.target,
            "target_name": self.target_name,
            "status": self.status,
            "score": self.score,
            "method": self.method,
        }
