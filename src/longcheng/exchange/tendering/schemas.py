"""Input shapes of e-tendering (validated by ``core.validation.validate``); amounts are 元 text."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from longcheng.core.validation import CleanText


class TenderIn(BaseModel):
    procedure: str = Field(default="open", pattern=r"^(open|invited|negotiate|inquiry)$", title="采购方式")
    title: CleanText = Field(min_length=4, max_length=200, title="项目名称")
    purchaser_name: CleanText = Field(min_length=2, max_length=120, title="招标人")
    budget: str = Field(title="预算金额（元）")
    security: str = Field(title="投标保证金（元）")
    invited_usccs: list[str] = Field(default_factory=list, max_length=50, title="受邀投标人")
    officers: list[str] = Field(min_length=1, max_length=9, title="开标人")
    threshold: int = Field(ge=1, le=9, title="开标所需分片数")
    deadline: datetime = Field(title="投标截止时间")
    opening_at: datetime = Field(title="开标时间")
    notice: CleanText = Field(min_length=10, max_length=100_000, title="招标公告及招标文件")
    institution_code: str = Field(default="", title="交易机构")


class DocumentIn(BaseModel):
    kind: str = Field(default="clarification", pattern=r"^(notice|clarification)$", title="类型")
    title: CleanText = Field(min_length=2, max_length=200, title="标题")
    body: CleanText = Field(min_length=2, max_length=100_000, title="正文")


class BidIn(BaseModel):
    price: str | None = Field(default=None, title="投标报价（元）")
    sealed: str | None = Field(default=None, max_length=4000, title="密封投标文件")


class ShareIn(BaseModel):
    share: str = Field(min_length=3, max_length=200, title="密钥分片")


class ObjectionIn(BaseModel):
    text: CleanText = Field(min_length=5, max_length=5000, title="异议内容")


class ReplyIn(BaseModel):
    reply: CleanText = Field(min_length=2, max_length=5000, title="答复")


class RoundIn(BaseModel):
    deadline: datetime = Field(title="本轮报价截止时间")
    opening_at: datetime = Field(title="本轮开启时间")


class JudgeIn(BaseModel):
    bid_id: int = Field(title="报价")
    compliant: bool = Field(title="是否符合采购需求")
    note: CleanText = Field(default="", max_length=500, title="说明")


class AwardIn(BaseModel):
    contract_no: CleanText = Field(min_length=2, max_length=60, title="合同编号")


class TenderFilter(BaseModel):
    """The tenders list's filters; blanks read as "not given"."""

    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    procedure: str | None = None
    status: str | None = None
    institution: str | None = None
