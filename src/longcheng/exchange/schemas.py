"""Input shapes of the exchange (validated by ``core.validation.validate``); amounts are 元 text."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from longcheng.core.validation import CleanText


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]


class InstitutionIn(BaseModel):
    code: CleanText = Field(min_length=2, max_length=10, pattern=r"^[A-Z0-9]+$", title="机构代码")
    name: CleanText = Field(min_length=2, max_length=120, title="机构名称")
    uscc: CleanText = Field(min_length=18, max_length=18, title="统一社会信用代码")
    region: CleanText = Field(default="", max_length=60, title="所在地区")


class ListingIn(BaseModel):
    asset_class: str = Field(title="资产类别")
    mode: str = Field(default="timed", title="竞价方式")
    title: CleanText = Field(min_length=4, max_length=200, title="项目名称")
    region: CleanText = Field(default="", max_length=60, title="所在地区")
    seller_name: CleanText = Field(min_length=2, max_length=120, title="转让方")
    description: CleanText = Field(default="", max_length=5000, title="项目说明")
    appraisal: str = Field(title="评估价（元）")
    start_price: str = Field(title="挂牌价（元）")
    step: str = Field(title="加价幅度（元）")
    reserve: str = Field(default="", title="保留价（元）")
    deposit: str = Field(default="", title="保证金（元）")
    fields: dict[str, Any] = Field(default_factory=dict, title="类别字段")
    institution_code: str = Field(default="", title="交易机构")


class ApproveIn(BaseModel):
    auction_start: str = Field(default="", title="竞价开始时间")


class ReasonIn(BaseModel):
    reason: CleanText = Field(min_length=2, max_length=500, title="原因")


class BidIn(BaseModel):
    amount: str = Field(title="报价（元）")
    idempotency_key: str = Field(min_length=1, max_length=64, title="幂等键")


class ListingFilter(BaseModel):
    """What the portal and the console filter listings by (blank means "not given")."""

    model_config = ConfigDict(extra="ignore")

    q: OptStr = None
    asset_class: OptStr = None
    status: OptStr = None
    region: OptStr = None
    min_price: OptStr = None
    max_price: OptStr = None
    published_from: OptStr = None
    published_to: OptStr = None
    sort: OptStr = None


class SignupIn(BaseModel):
    """竞买人自助注册: an organisation by USCC (its registry name) or a person by resident ID."""

    kind: Literal["org", "person"] = Field(title="竞买人类型")
    name: CleanText = Field(min_length=2, max_length=120, title="名称或姓名")
    uscc: str = Field(default="", max_length=18, title="统一社会信用代码")
    id_number: str = Field(default="", max_length=18, title="身份证号")
    username: str = Field(min_length=3, max_length=64, title="登录用户名")
    password: str = Field(min_length=1, max_length=128, title="密码")
