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


class FactRead(BaseModel):
    """One extracted amount with its context; ``value`` for a point, ``low``/``high`` for a range (元)."""

    id: int
    document_id: int
    article_id: int
    published: date | None
    kind: str
    event: str | None
    planned: bool
    value: str | None = None
    low: str | None = None
    high: str | None = None
    value_fen: int | None
    low_fen: int
    high_fen: int
    currency: str
    qualifier: str
    text: str
    cue: str
    sentence: str
    span: list[int]
    cue_span: list[int]
    sentence_span: list[int]
    file_span: list[int]
    project: str | None
    org: str | None
    orgs: list[str]
    org_uscc: str | None
    place: str | None
    place_name: str | None
    district: str | None
    date: str | None


class FactListItem(FactRead):
    title: str


class FactDetail(FactListItem):
    document: str


class LinkRead(BaseModel):
    """A fact's link to a registered organisation (proposed, confirmed or rejected)."""

    id: int
    fact_id: int
    target_type: str
    target: str
    target_name: str
    mention: str
    method: str
    score: int
    status: str
    decided_by: str
    decided_at: str | None
    reason: str


class LinkListItem(LinkRead):
    fact: FactRead


class DocumentRead(BaseModel):
    """An ingested file: what was kept of it and how many articles and facts it gave."""

    id: int
    name: str
    sha256: str
    encoding: str
    kind: str
    size: int
    articles: int
    facts: int
    warnings: list[str]
    created_at: str
    created_by: str


class ArticleRead(BaseModel):
    id: int
    title: str
    body: str
    published: date | None
    date_precision: str | None
    source: str | None
    file_span: list[int]
    content_hash: str
    facts: list[FactRead]


class DocumentDetail(BaseModel):
    """A document with its articles and their facts."""

    id: int
    name: str
    sha256: str
    encoding: str
    kind: str
    size: int
    articles: list[ArticleRead]
    facts: int
    warnings: list[str]
    created_at: str
    created_by: str


class OutcomeRead(BaseModel):
    """What one uploaded file gave: stored (201) or a duplicate of a stored one (200)."""

    name: str
    status: str
    code: str | None
    message: str | None
    document_id: int | None
    articles: int
    duplicate_articles: int
    facts: int
    links_auto: int
    links_proposed: int
    project_evidence: int
    project_leads: int
    warnings: list[str]


class HitRead(BaseModel):
    id: str
    kind: str
    score: float
    title: str
    title_html: str
    snippet_html: str
    published: date | None
    place: str | None
    fact_kind: str | None
    amount_fen: int | None
    document_id: int
    article_id: int
    fact_id: int | None


class SearchPageRead(BaseModel):
    """One page of full-text hits; ``total`` may be an estimate past the first pages."""

    items: list[HitRead]
    total: int
    total_is_estimate: bool
    page: int
    page_size: int


class BucketRead(BaseModel):
    key: str
    label: str
    amount_fen: int
    facts: int


class DashboardRead(BaseModel):
    """The intelligence dashboard's totals and its month, district and event breakdowns."""

    documents: int
    articles: int
    facts: int
    pending_links: int
    investment_fen: int
    investment_facts: int
    counted_facts: int
    by_month: list[BucketRead]
    by_district: list[BucketRead]
    by_event: list[BucketRead]
