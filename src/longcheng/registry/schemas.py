"""Input and output shapes of the registry; all validation of organisation data lives here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.validation import CleanText
from longcheng.registry import reference as ref


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]


def _optional(check: Callable[[str], str]) -> Callable[[str | None], str | None]:
    return lambda v: None if v is None else check(v)


# Places and industries as every module's forms accept them: a code, a name or an alias in,
# the registry's code out; unknown values fail with a Chinese message listing what is allowed.
DistrictCode = Annotated[str, AfterValidator(ref.district_code)]
OptDistrictCode = Annotated[
    str | None, BeforeValidator(_blank_to_none), AfterValidator(_optional(ref.district_code))
]
OptZoneCode = Annotated[str | None, BeforeValidator(_blank_to_none), AfterValidator(_optional(ref.zone_code))]
OptIndustryCode = Annotated[
    str | None, BeforeValidator(_blank_to_none), AfterValidator(_optional(ref.industry_code))
]


def check_uscc(value: str) -> str:
    code = normalise_uscc(value)
    problem = uscc_problem(code)
    if problem is not None:
        raise ValueError(problem.message)
    return code


class OrgFields(BaseModel):
    """Fields a person edits; codes or Chinese names are accepted for places and types."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: CleanText = Field(min_length=1, max_length=200)
    former_names: list[CleanText] = Field(default_factory=list)
    org_type: str = "enterprise"
    district: OptDistrictCode = None
    park: OptZoneCode = None
    industry: OptIndustryCode = None
    established: date | None = None
    address: CleanText = Field(default="", max_length=300)

    @field_validator("former_names", mode="before")
    @classmethod
    def _split_names(cls, v: object) -> object:
        if isinstance(v, str):
            return [n.strip() for n in v.replace("；", ";").replace("\n", ";").split(";") if n.strip()]
        return v

    @field_validator("org_type")
    @classmethod
    def _org_type(cls, v: str) -> str:
        code = ref.find_by_label(ref.org_types(), v)
        if code is None:
            raise ValueError(f"未知的机构类型“{v}”，可选：{'、'.join(ref.org_types().values())}")
        return code

    @model_validator(mode="after")
    def _park_in_district(self) -> OrgFields:
        if self.park is None:
            return self
        zone = ref.places()[self.park]
        if self.district is None:
            self.district = zone.district
        elif zone.district != self.district:
            raise ValueError(f"园区“{zone.name}”不属于{ref.places()[self.district].name}")
        return self


class OrgCreate(OrgFields):
    uscc: str

    @field_validator("uscc", mode="before")
    @classmethod
    def _uscc(cls, v: object) -> str:
        if not isinstance(v, str) or not v.strip():
            raise ValueError("统一社会信用代码不能为空")
        return check_uscc(v)


class OrgUpdate(OrgFields):
    version: int = Field(ge=1, description="The version the editor saw; a newer one means a conflict.")


SortKey = Literal["name", "-name", "uscc", "-uscc", "established", "-established", "updated", "-updated"]


class OrgFilter(BaseModel):
    """What a list page, an API call or an export filters by."""

    model_config = ConfigDict(extra="ignore")

    q: OptStr = None
    district: OptStr = None
    park: OptStr = None
    industry: OptStr = None
    tag: OptStr = None
    org_type: OptStr = None
    sort: SortKey = "name"


class TagCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    tag: str
    level: OptStr = None
    valid_from: date
    valid_to: date | None = None
    certificate_no: CleanText = Field(default="", max_length=60)
    source: CleanText = Field(default="", max_length=200)

    @model_validator(mode="after")
    def _check(self) -> TagCreate:
        types = ref.tag_types()
        code = ref.find_by_label({k: t.label for k, t in types.items()}, self.tag)
        if code is None:
            raise ValueError(f"未知的企业标签“{self.tag}”")
        self.tag = code
        if self.level is not None:
            level = ref.find_by_label(ref.levels(), self.level)
            if level is None or level not in types[code].levels:
                raise ValueError(f"标签“{types[code].label}”没有“{self.level}”这一级别")
            self.level = level
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("有效期截止日期早于起始日期")
        return self


class FactCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: str
    year: int = Field(ge=1949, le=2100)
    value: int = Field(ge=0, description="Fen for money facts, a count for people.")
    currency: str | None = "CNY"
    source: CleanText = Field(min_length=1, max_length=200)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        kinds = ref.fact_kinds()
        code = ref.find_by_label({k: f.label for k, f in kinds.items()}, v)
        if code is None:
            raise ValueError(f"未知的数据项“{v}”")
        return code


class TagRead(BaseModel):
    tag: str
    level: str | None
    valid_from: date
    valid_to: date | None


class FactRead(BaseModel):
    kind: str
    year: int
    value: int
    currency: str | None
    source: str


class OrgSummary(BaseModel):
    """An organisation as the list shows it."""

    uscc: str
    name: str
    former_names: list[str]
    org_type: str
    district: str | None
    park: str | None
    industry: str | None
    established: date | None
    version: int


class OrgRead(OrgSummary):
    """One organisation's file: the summary, its address, tags and dated facts."""

    address: str
    tags: list[TagRead]
    facts: list[FactRead]
