"""Input and output shapes of the expert pool and expert review; validation lives here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.pii import ids
from longcheng.core.validation import CleanMultiline, CleanText, register_labels
from longcheng.experts.engine import taxonomy


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
OptDate = Annotated[date | None, BeforeValidator(_blank_to_none)]


def _uscc(v: str | None) -> str | None:
    if v is None:
        return None
    code = normalise_uscc(v)
    problem = uscc_problem(code)
    if problem is not None:
        raise ValueError(problem.message)
    return code


def _fields(v: object) -> list[str]:
    items = v.replace("，", ",").replace("、", ",").replace("；", ",").split(",") if isinstance(v, str) else v
    if not isinstance(items, list):
        raise ValueError("请选择评审领域")
    tax = taxonomy.default()
    out: list[str] = []
    for raw in (str(i).strip() for i in items):
        if not raw:
            continue
        code = tax.resolve(raw)
        if code is None:
            allowed = "、".join(f.label for f in tax.fields)
            raise ValueError(f"未知的评审领域“{raw}”，可选：{allowed}")
        if code not in out:
            out.append(code)
    if not out:
        raise ValueError("请至少选择一个评审领域")
    return out


class FormerEmployerIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    uscc: Annotated[str, BeforeValidator(lambda v: v or "")]
    name: CleanText = Field(default="", max_length=200)
    ended_on: OptDate = None

    @field_validator("uscc")
    @classmethod
    def _check(cls, v: str) -> str:
        code = _uscc(v)
        assert code is not None
        return code


class ExpertIn(BaseModel):
    """An expert as a form, the API or an import row gives it."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: CleanText = Field(min_length=2, max_length=60)
    title: CleanText = Field(default="", max_length=60)
    resident_id: OptStr = None
    employer_uscc: OptStr = None
    employer_name: CleanText = Field(default="", max_length=200)
    fields: Annotated[list[str], BeforeValidator(_fields)]
    phone: CleanText = Field(default="", max_length=30)
    email: CleanText = Field(default="", max_length=120)
    status: Literal["active", "away"] = "active"
    substitute_code: OptStr = None
    username: OptStr = None
    note: CleanMultiline = Field(default="", max_length=2000)
    former_employers: list[FormerEmployerIn] = Field(default_factory=list, max_length=20)

    @field_validator("resident_id")
    @classmethod
    def _check_id(cls, v: str | None) -> str | None:
        if v is None:
            return None
        try:
            return ids.parse_resident_id(v).number
        except ids.InvalidResidentId as exc:
            raise ValueError(exc.message_text) from None

    @field_validator("employer_uscc")
    @classmethod
    def _check_uscc(cls, v: str | None) -> str | None:
        return _uscc(v)


class ExpertFilter(BaseModel):
    """What the pool's list page, the API and the export filter by."""

    model_config = ConfigDict(extra="ignore")

    q: OptStr = None
    field: OptStr = None
    status: OptStr = None
    sort: Literal["code", "name", "-updated"] = "code"


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rubric: str = "standard"
    scores: dict[str, int]
    comment: CleanMultiline = Field(default="", max_length=2000)


class DeclareIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    has_conflict: bool
    statement: CleanMultiline = Field(default="", max_length=2000)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    context: CleanText = Field(min_length=1, max_length=80)
    per_item: int = Field(ge=1, le=15)
    seed: int = Field(ge=0, le=2**31 - 1)
    items: list[AssignItemIn] = Field(min_length=1, max_length=20000)


class AssignItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ref: CleanText = Field(min_length=1, max_length=80)
    field: str
    applicant_uscc: str


@dataclass(frozen=True)
class AssignItem:
    """One item to review: its reference, its field of expertise and the applicant's USCC."""

    ref: str
    field: str
    applicant_uscc: str


@dataclass(frozen=True)
class AssignedExpert:
    ref: str
    expert_id: int
    expert_code: str
    expert_name: str
    in_field: bool
    state: str


@dataclass(frozen=True)
class DrawResult:
    draw_id: int
    seed: int
    assigned: list[AssignedExpert]
    short: dict[str, int]
    excluded: dict[str, int]


@dataclass(frozen=True)
class ScoreView:
    """One expert's scores; ``reviewer`` is "专家1", "专家2"… unless names were asked for."""

    reviewer: str
    expert_id: int
    rubric: str
    scores: dict[str, int]
    total: int
    comment: str


@dataclass(frozen=True)
class AggregateView:
    count: int
    totals: list[int]
    kept: list[int]
    dropped: list[int]
    mean: Decimal | None


AssignIn.model_rebuild()

register_labels(
    {
        "employer_uscc": "任职单位信用代码",
        "resident_id": "身份证号码",
        "employer_name": "任职单位",
        "fields": "评审领域",
        "substitute_code": "替补专家编号",
        "former_employers": "曾任职单位",
        "ended_on": "离职日期",
        "per_item": "每项专家数",
        "seed": "随机种子",
        "scores": "评分",
        "has_conflict": "是否存在利益冲突",
        "statement": "声明内容",
        "rubric": "评分细则",
        "email": "电子邮箱",
        "comment": "评语",
        "applicant_uscc": "申报单位信用代码",
    }
)
