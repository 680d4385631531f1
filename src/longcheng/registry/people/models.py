"""One row per person or holder in a role at an organisation."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

PERSON_PURPOSE = "person.resident_id"  # the vault purpose of every person's resident ID, across modules


class OrgPerson(Base):
    """A legal representative, shareholder (a person or a company), director or supervisor."""

    __tablename__ = "registry_org_person"
    __table_args__ = (
        Index("ix_registry_org_person_uscc", "uscc", "role"),
        Index("ix_registry_org_person_index", "person_index"),
        Index("ix_registry_org_person_name", "name"),
        Index("ix_registry_org_person_holder", "holder_uscc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("registry_org.id", ondelete="CASCADE"))
    uscc: Mapped[str] = mapped_column(String(18))
    role: Mapped[str] = mapped_column(String(20))  # legal_rep | shareholder | director | supervisor
    name: Mapped[str] = mapped_column(String(200))
    id_token: Mapped[str | None] = mapped_column(String(200))  # core.pii token of the resident ID
    person_index: Mapped[str | None] = mapped_column(String(64))  # blind index of the resident ID
    holder_uscc: Mapped[str | None] = mapped_column(String(18))  # a corporate shareholder
    share_ratio: Mapped[Decimal | None] = mapped_column(Numeric(7, 4))  # per cent
    since: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
