"""Input of innovation vouchers: providers, issue, redemption."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["testing", "design", "ip", "consulting"]


class ProviderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=200, title="机构名称")
    category: Category = Field(title="服务类别")
    bank_account: str = Field(min_length=8, max_length=40, pattern=r"^[0-9 ]+$", title="收款账号")
    bank_name: str = Field(min_length=2, max_length=120, title="开户行")


class IssueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: str = Field(min_length=1, max_length=30, title="专项编号")
    fiscal_year: int = Field(ge=2000, le=2100, title="年度")
    firm_uscc: str = Field(min_length=18, max_length=18, title="企业统一社会信用代码")
    amount_fen: int = Field(gt=0, le=10_000_000_00, title="券面金额")
    purpose: Category = Field(title="用途")
    valid_until: date = Field(title="有效期至")


class RedeemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    provider_uscc: str = Field(min_length=18, max_length=18, title="服务机构统一社会信用代码")
    contract_ref: str = Field(min_length=2, max_length=60, title="服务合同编号")


class VoucherFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    state: str | None = None
    purpose: str | None = None
