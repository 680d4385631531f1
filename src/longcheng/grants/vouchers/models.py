"""Tables of innovation vouchers and the service providers (服务机构) that redeem them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from longcheng.core.clock import utcnow
from longcheng.core.db import Base, UTCDateTime

CATEGORIES = {"testing": "检验检测", "design": "工业设计", "ip": "知识产权", "consulting": "咨询服务"}
PROVIDER_STATES = {"pending": "待审核", "approved": "已入库", "rejected": "未通过"}
VOUCHER_STATES = {
    "issued": "已发放",
    "redeemed": "已兑用",
    "claimed": "服务机构已申请兑付",
    "approved": "已核准兑付",
}


class Provider(Base):
    """A registered service provider; only an approved one may take vouchers."""

    __tablename__ = "grants_voucher_provider"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20))
    account_token: Mapped[str] = mapped_column(String(300))
    account_masked: Mapped[str] = mapped_column(String(40))
    bank_name: Mapped[str] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def state_label(self) -> str:
        return PROVIDER_STATES.get(self.state, self.state)

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


class Voucher(Base):
    """A voucher issued to a firm from a programme-year's budget; spent at most once."""

    __tablename__ = "grants_voucher"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("grants_programme.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    firm_uscc: Mapped[str] = mapped_column(String(18), index=True)
    firm_name: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(20))
    valid_until: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="issued", index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("grants_voucher_provider.id"), index=True)
    contract_ref: Mapped[str] = mapped_column(String(60), default="")
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def state_label(self) -> str:
        return VOUCHER_STATES.get(self.state, self.state)

    @property
    def scope_uscc(self) -> str | None:
        return self.firm_uscc

    @property
    def scope_district(self) -> str | None:
        return None
