"""Tables of the registry: organisations, their tags and their dated facts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Organisation(Base):
    """One organisation; ``version`` guards against two people saving the same record at once."""

    __tablename__ = "registry_org"
    __table_args__ = (
        Index("ix_registry_org_name", "name", "id"),
        Index("ix_registry_org_pinyin", "name_pinyin", "id"),
        Index("ix_registry_org_district_pinyin", "district", "name_pinyin", "id"),
        Index("ix_registry_org_district_name", "district", "name", "id"),
        Index("ix_registry_org_district_uscc", "district", "uscc"),
        Index("ix_registry_org_district_established", "district", "established", "id"),
        Index("ix_registry_org_park_name", "park", "name", "id"),
        Index("ix_registry_org_established", "established", "id"),
        Index("ix_registry_org_updated", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    former_names: Mapped[str] = mapped_column(Text, default="")  # one per line
    search_text: Mapped[str] = mapped_column(Text, default="")  # name + former names, for search
    name_pinyin: Mapped[str] = mapped_column(String(400), default="")  # sort key (registry.search.pinyin_key)
    org_type: Mapped[str] = mapped_column(String(30), default="enterprise")
    district: Mapped[str | None] = mapped_column(String(30))
    park: Mapped[str | None] = mapped_column(String(30))
    industry: Mapped[str | None] = mapped_column(String(4), index=True)
    established: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Today's valid tags as one text, read with the row by the list page (``query.valid_tags``);
    # None when the row was loaded without them.
    valid_tags_text: Mapped[str | None] = query_expression()

    tags: Mapped[list[OrgTag]] = relationship(
        back_populates="org", cascade="all, delete-orphan", order_by="OrgTag.valid_from"
    )
    facts: Mapped[list[OrgFact]] = relationship(
        back_populates="org", cascade="all, delete-orphan", order_by="(OrgFact.year.desc(), OrgFact.kind)"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def scope_uscc(self) -> str | None:
        return self.uscc

    @property
    def scope_district(self) -> str | None:
        return self.district

    @property
    def former_name_list(self) -> list[str]:
        return [n for n in self.former_names.splitlines() if n.strip()]

    def audit_view(self) -> dict[str, object]:
        return {
            "uscc": self.uscc,
            "name": self.name,
            "former_names": self.former_name_list,
            "org_type": self.org_type,
            "district": self.district,
            "park": self.park,
            "industry": self.industry,
            "established": self.established,
            "address": self.address,
        }


class OrgTag(Base):
    """A status label with its validity period (a 高新技术企业 certificate lasts three years)."""

    __tablename__ = "registry_tag"
    __table_args__ = (Index("ix_registry_tag_holders", "tag", "valid_from", "valid_to", "org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("registry_org.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(20))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    certificate_no: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(200), default="")

    org: Mapped[Organisation] = relationship(back_populates="tags")

    def is_valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class OrgFact(Base):
    """A dated fact with its source: money in fen (with currency), counts as plain integers."""

    __tablename__ = "registry_fact"
    __table_args__ = (UniqueConstraint("org_id", "kind", "year", "source", name="uq_registry_fact_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("registry_org.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    source: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    org: Mapped[Organisation] = relationship(back_populates="facts")
