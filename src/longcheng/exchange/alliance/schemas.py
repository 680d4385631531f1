"""Input shapes of the alliance (validated by ``core.validation.validate``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from longcheng.core.validation import CleanText


class ProposalIn(BaseModel):
    version: CleanText = Field(min_length=3, max_length=20, pattern=r"^[0-9A-Za-z.\-]+$", title="版本号")
    effective_from: date = Field(title="生效日期")
    changes: dict[str, Any] = Field(title="修订内容")
    note: CleanText = Field(default="", max_length=2000, title="修订说明")


class ReviewIn(BaseModel):
    approve: bool = Field(title="是否批准")
    note: CleanText = Field(default="", max_length=2000, title="审核意见")


class OverrideIn(BaseModel):
    key: str = Field(max_length=40, title="规则项")
    value: int | str = Field(title="取值")
    asset_class: str = Field(default="", max_length=20, title="资产类别")


class ProfileIn(BaseModel):
    portal_title: CleanText = Field(default="", max_length=120, title="门户名称")
    brand_color: str = Field(default="#1f4e79", pattern=r"^#[0-9a-fA-F]{6}$", title="主题色")
    bank_name: CleanText = Field(default="", max_length=120, title="结算银行")
    bank_account: str = Field(default="", pattern=r"^[0-9]{0,40}$", title="结算账号")
    contact: CleanText = Field(default="", max_length=200, title="联系方式")
    intro: CleanText = Field(default="", max_length=500, title="机构简介")
