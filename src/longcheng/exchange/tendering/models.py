"""Tables of e-tendering: tenders, their documents, entrants, sealed bids, key-share slots, objections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class Tender(Base):
    """A 招标项目 of one institution by one procedure (``procedures.LABELS``: open | invited |
    negotiate | inquiry). ``round`` counts the sealed quote rounds of 竞争性谈判, up to ``rounds``.

    ``public_key`` is the hex X25519 key bids are sealed to; its private key exists only as
    ``threshold`` of the officers' shares. ``opening_record`` is the decryption record.
    """

    __tablename__ = "exchange_tender"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("exchange_institution.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(10))  # open | invited | negotiate | inquiry
    title: Mapped[str] = mapped_column(String(200))
    purchaser_name: Mapped[str] = mapped_column(String(120))
    budget_fen: Mapped[int] = mapped_column(BigInteger)
    security_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    invited_usccs: Mapped[list[str]] = mapped_column(JSON, default=list)
    public_key: Mapped[str] = mapped_column(String(64))
    threshold: Mapped[int] = mapped_column(Integer)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    opening_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default="bidding", index=True)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opening_record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    publicity_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    winner_bid_id: Mapped[int | None] = mapped_column(Integer)
    contract_no: Mapped[str] = mapped_column(String(60), default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    rounds: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TenderDocument(Base):
    """A version of the 招标文件 or a 答疑/澄清, addressed by the SHA-256 of its text."""

    __tablename__ = "exchange_tender_document"
    __table_args__ = (UniqueConstraint("tender_id", "version", name="uq_exchange_tender_document_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(15))  # notice | clarification
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TenderEntrant(Base):
    """A bidder registered for a tender (获取招标文件); its 投标保证金 state."""

    __tablename__ = "exchange_tender_entrant"
    __table_args__ = (UniqueConstraint("tender_id", "bidder_id", name="uq_exchange_tender_entrant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    security: Mapped[str] = mapped_column(String(10), default="none")  # none | frozen | released
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TenderBid(Base):
    """A sealed bid: only ciphertext and its digest until 开标; ``price_fen`` is filled at opening.

    ``round`` is the quote round it was sealed in; ``compliant`` the 谈判/询价小组's finding that the
    quote meets the requirements (None until judged), used where the lowest compliant price wins.
    """

    __tablename__ = "exchange_tender_bid"
    __table_args__ = (UniqueConstraint("tender_id", "bidder_id", name="uq_exchange_tender_bid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"), index=True)
    sealed: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    open_status: Mapped[str] = mapped_column(String(12), default="sealed")  # sealed | valid | invalid
    open_note: Mapped[str] = mapped_column(String(200), default="")
    round: Mapped[int] = mapped_column(Integer, default=1)
    compliant: Mapped[bool | None] = mapped_column(Boolean)
    compliance_note: Mapped[str] = mapped_column(String(500), default="")


class TenderKeyShare(Base):
    """One opening officer's key share: held under the vault key until the officer collects it
    (then erased), and again from presentation at 开标 until the key is joined (then erased)."""

    __tablename__ = "exchange_tender_key_share"
    __table_args__ = (UniqueConstraint("tender_id", "officer_id", name="uq_exchange_tender_key_share"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    officer_id: Mapped[int] = mapped_column(Integer)
    officer_name: Mapped[str] = mapped_column(String(120))
    digest: Mapped[str] = mapped_column(String(64))
    pending_token: Mapped[str | None] = mapped_column(Text)
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    presented_token: Mapped[str | None] = mapped_column(Text)
    presented_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TenderObjection(Base):
    """An 异议 to the 中标候选人公示 and the purchaser's reply."""

    __tablename__ = "exchange_tender_objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    bidder_id: Mapped[int] = mapped_column(ForeignKey("exchange_bidder.id"))
    text: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class TenderPanelMember(Base):
    """An expert of the 评标委员会 drawn for a tender (``state`` panel), or an expert of the pool
    found in conflict with a bidder at the draw (``state`` conflict, never on the panel).

    A panel expert who declares a conflict (``recused``) or does not attend (``absent``) leaves the
    panel and a fresh draw takes the seat; the newcomer's ``replaces_id`` names the row it took over.
    """

    __tablename__ = "exchange_tender_panel"
    __table_args__ = (UniqueConstraint("tender_id", "expert_id", name="uq_exchange_tender_panel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    expert_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    expert_code: Mapped[str] = mapped_column(String(30))
    expert_name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10))  # panel | conflict | recused | absent
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    replaces_id: Mapped[int | None] = mapped_column(Integer)


class TenderEvaluation(Base):
    """One panel expert's technical score (0–100) of one valid bid."""

    __tablename__ = "exchange_tender_evaluation"
    __table_args__ = (UniqueConstraint("bid_id", "expert_id", name="uq_exchange_tender_evaluation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender.id"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("exchange_tender_bid.id"), index=True)
    expert_id: Mapped[int] = mapped_column(Integer)
    technical: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(String(500), default="")
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
