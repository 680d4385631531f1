"""Input of a capability (a page form, the API or one import row)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.validation import CleanMultiline, CleanText, register_labels
from longcheng.matching.capabilities.models import KINDS

register_labels(
    {
        "kind": "类型",
        "trl": "技术成熟度",
        "keywords": "关键词",
        "description": "简介",
        "contact": "联系人",
        "org_uscc": "单位统一社会信用代码",
        "org_name": "单位名称",
    }
)


class CapabilityIn(BaseModel):
    """A capability: title, kind, field, TRL, keywords, description, contact, organisation."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    title: CleanText = Field(min_length=2, max_length=200)
    kind: str = "result"
    field: CleanText = Field(default="", max_length=40)
    trl: int | None = Field(default=None, ge=1, le=9)
    keywords: CleanText = Field(default="", max_length=300)
    description: CleanMultiline = Field(default="", max_length=8000)
    contact: CleanText = Field(default="", max_length=120)
    org_uscc: str
    org_name: CleanText = Field(min_length=2, max_length=200)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> str:
        for code, label in KINDS.items():
            if value in (code, label):
                return code
        raise ValueError("类型须为 " + "、".join(KINDS.values()))

    @field_validator("org_uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        code = normalise_uscc(value)
        problem = uscc_problem(code)
        if problem is not None:
            raise ValueError(problem.message)
        return code
