"""Input shapes and vocabularies of the intel module; every filter is validated here.

Amount filters are in 万元 (the unit officers read) as decimal strings, on pages and in the API
alike (``min_wan``/``max_wan``); stored amounts are integer fen.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.intel.extractor import EVENTS, KINDS
from longcheng.intel.models import LinkStatus

KIND_LABELS: dict[str, str] = {
    "investment": "投资",
    "output": "产值/收入",
    "funding": "资金支持",
    "other": "其他金额",
}
EVENT_LABELS: dict[str, str] = {
    "signed": "签约",
    "started": "开工",
    "completed": "竣工",
    "producing": "投产",
    "building": "在建",
    "invested": "完成投资",
}
QUALIFIER_LABELS: dict[str, str] = {
    "exact": "确数",
    "approximate": "约数",
    "over": "以上",
    "under": "以下",
    "range": "区间",
}
METHOD_LABELS: dict[str, str] = {
    "exact": "名称一致",
    "former_name": "曾用名一致",
    "fuzzy": "名称相近",
    "gazetteer": "地名库",
    "manual": "人工关联",
}
SOURCE_KIND_LABELS: dict[str, str] = {"text": "文本", "html": "网页", "pdf": "PDF"}
WAN_FEN = 1_000_000


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
Wan = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), decimal_places=6)]
OptWan = Annotated[Wan | None, BeforeValidator(_blank_to_none)]
OptInt = Annotated[int | None, BeforeValidator(_blank_to_none)]
FactSort = Literal["-published", "published", "-amount", "amount"]
LinkView = Literal["linked", "proposed", "unlinked"]


def wan_to_fen(value: Decimal | None) -> int | None:
    return None if value is None else int(value * WAN_FEN)


class _Ranges(BaseModel):
    """Date and amount ranges shared by the fact list and the search."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    date_from: OptDate = None
    date_to: OptDate = None
    min_wan: OptWan = None
    max_wan: OptWan = None

    @model_validator(mode="after")
    def _ordered(self) -> _Ranges:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("开始日期不能晚于结束日期")
        if self.min_wan is not None and self.max_wan is not None and self.min_wan > self.max_wan:
            raise ValueError("金额下限不能大于上限")
        return self

    @property
    def min_fen(self) -> int | None:
        return wan_to_fen(self.min_wan)

    @property
    def max_fen(self) -> int | None:
        return wan_to_fen(self.max_wan)


class FactFilter(_Ranges):
    """What the fact table, its API and its XLSX export filter by (the same for all three)."""

    q: OptStr = Field(default=None, max_length=100)
    kind: OptStr = None
    event: OptStr = None
    place: OptStr = None
    link: Annotated[LinkView | None, BeforeValidator(_blank_to_none)] = None
    org: OptStr = None
    document: OptInt = None
    sort: FactSort = "-published"

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str | None) -> str | None:
        if v is not None and v not in KINDS:
            raise ValueError(f"未知的金额类别“{v}”，可选：{'、'.join(KINDS)}")
        return v

    @field_validator("event")
    @classmethod
    def _event(cls, v: str | None) -> str | None:
        if v is not None and v not in (*EVENTS, "none"):
            raise ValueError(f"未知的事件“{v}”，可选：{'、'.join(EVENTS)}、none")
        return v


class DocumentFilter(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    q: OptStr = Field(default=None, max_length=100)
    kind: Annotated[Literal["text", "html", "pdf"] | None, BeforeValidator(_blank_to_none)] = None


class LinkFilter(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    status: LinkStatus = LinkStatus.proposed
    q: OptStr = Field(default=None, max_length=100)


class SearchForm(_Ranges):
    """The search page and ``/api/v1/intel/search``: text, filters and the page wanted."""

    q: str = Field(default="", max_length=200)
    place: OptStr = None
    kind: Annotated[Literal["document", "fact"] | None, BeforeValidator(_blank_to_none)] = None
    fact_kind: OptStr = None
    page: int = Field(default=1, ge=1, le=500)
    page_size: int = Field(default=10, ge=1, le=100)


class LinkDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=500)


class ManualLink(BaseModel):
    """An analyst links a fact to an organisation by its USCC."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    uscc: str
    reason: str = Field(default="", max_length=500)

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, v: str) -> str:
        code = normalise_uscc(v)
        problem = uscc_problem(code)
        if problem is not None:
            raise ValueError(problem.message)
        return code
