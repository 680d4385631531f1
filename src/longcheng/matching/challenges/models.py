"""Tables of 揭榜挂帅: challenges, agreement acceptances (the access log) and proposals."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime


class ChallengeStatus(StrEnum):
    """Where a challenge is on the public board."""

    open = "open"
    closed = "closed"
    solved = "solved"

    @property
    def label(self) -> str:
        return {"open": "征集中", "closed": "已截止", "solved": "已揭榜"}[self.value]


class IpTerms(StrEnum):
    """Who holds the intellectual property of the solution."""

    seeker = "seeker"
    licence = "licence"
    solver = "solver"

    @property
    def label(self) -> str:
        return {"seeker": "成果归发榜方", "licence": "揭榜方保留、发榜方获许可", "solver": "成果归揭榜方"}[
            self.value
        ]


class ProposalStatus(StrEnum):
    """A proposal's state: submitted → shortlisted → selected, or not_selected at selection."""

    submitted = "submitted"
    shortlisted = "shortlisted"
    selected = "selected"
    not_selected = "not_selected"

    @property
    def label(self) -> str:
        return {
            "submitted": "已提交",
            "shortlisted": "已入围",
            "selected": "已揭榜",
            "not_selected": "未选中",
        }[self.value]


# The only moves a proposal may make (review.service checks every change against it).
PROPOSAL_MOVES: dict[ProposalStatus, frozenset[ProposalStatus]] = {
    ProposalStatus.submitted: frozenset({ProposalStatus.shortlisted, ProposalStatus.not_selected}),
    ProposalStatus.shortlisted: frozenset({ProposalStatus.selected, ProposalStatus.not_selected}),
    ProposalStatus.selected: frozenset(),
    ProposalStatus.not_selected: frozenset(),
}


class Challenge(Base):
    """A 榜单: public summary, gated details, TRL now and wanted, 榜额 in fen, deadline, IP terms."""

    __tablename__ = "matching_challenge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    field: Mapped[str] = mapped_column(String(40), index=True)
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="")
    trl_current: Mapped[int] = mapped_column(Integer)
    trl_target: Mapped[int] = mapped_column(Integer)
    budget_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    ip_terms: Mapped[str] = mapped_column(String(20))
    agreement_version: Mapped[int] = mapped_column(Integer, default=1)
    agreement_text: Mapped[str] = mapped_column(Text)
    seeker_uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    seeker_name: Mapped[str] = mapped_column(String(200))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    district: Mapped[str | None] = mapped_column(String(40))
    top_ten: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=ChallengeStatus.open.value, index=True)
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AgreementAcceptance(Base):
    """Who accepted which version of a challenge's agreement, and when (the access log)."""

    __tablename__ = "matching_agreement_acceptance"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("matching_challenge.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(Integer)
    user_label: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Proposal(Base):
    """A solver's proposal (揭榜申请) to a challenge."""

    __tablename__ = "matching_proposal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("matching_challenge.id", ondelete="CASCADE"), index=True
    )
    solver_user_id: Mapped[int] = mapped_column(Integer, index=True)
    solver_name: Mapped[str] = mapped_column(String(200))
    solver_uscc: Mapped[str | None] = mapped_column(String(18))
    title: Mapped[str] = mapped_column(String(200))
    approach: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
