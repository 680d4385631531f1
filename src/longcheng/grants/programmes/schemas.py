"""Input shapes of programmes and windows; validation lives here."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from longcheng.core.clock import SHANGHAI
from longcheng.core.validation import CleanMultiline, CleanText, register_labels

FileType = Literal["pdf", "jpg", "png", "xlsx", "docx"]
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{2,30}$")


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


def _local(v: object) -> object:
    """A naive time is Asia/Shanghai (as people type it); an aware one is kept."""
    if isinstance(v, str):
        v = datetime.fromisoformat(v.strip().replace(" ", "T"))
    if isinstance(v, datetime) and v.tzinfo is None:
        return v.replace(tzinfo=SHANGHAI)
    return v


LocalTime = Annotated[datetime, BeforeValidator(_local)]


class ProgrammeIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(min_length=2, max_length=30)
    name: CleanText = Field(min_length=2, max_length=200)
    department: CleanText = Field(min_length=2, max_length=100)
    guide: CleanMultiline = Field(default="", max_length=50000)
    contact: CleanText = Field(default="", max_length=200)
    policy_clause: Annotated[str | None, BeforeValidator(_blank_to_none)] = None
    payment_mode: Literal["immediate", "after_acceptance"] = "immediate"
    workflow: Literal["standard", "simple"] = "standard"

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not CODE_RE.match(v):
            raise ValueError("编号只能包含字母、数字、下划线和连字符（2–30 位）")
        return v.upper()


class ChecklistItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=30)
    label: str = Field(min_length=1, max_length=100)
    types: list[FileType] = Field(default_factory=lambda: list[FileType](["pdf"]))
    max_mb: int = Field(default=10, ge=1, le=50)
    required: bool = True
    template: str | None = None


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=30)
    label: str = Field(min_length=1, max_length=100)
    type: Literal["text", "number", "amount", "date", "choice"] = "text"
    required: bool = True
    choices: list[str] = Field(default_factory=list)
    max_length: int = Field(default=500, ge=1, le=20000)


class WindowIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    code: str = Field(min_length=1, max_length=30)
    name: CleanText = Field(min_length=2, max_length=200)
    fiscal_year: int = Field(ge=2000, le=2100)
    opens_at: LocalTime
    closes_at: LocalTime
    checklist: list[ChecklistItem] = Field(default_factory=list, max_length=50)
    form_fields: list[FormField] = Field(default_factory=list, max_length=100)
    sla: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _order(self) -> WindowIn:
        if self.closes_at <= self.opens_at:
            raise ValueError("截止时间须晚于开始时间")
        if any(v < 1 or v > 200 for v in self.sla.values()):
            raise ValueError("各阶段办理时限须在 1–200 个工作日之间")
        return self

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


register_labels(
    {
        "department": "主管部门",
        "guide": "申报指南",
        "contact": "联系方式",
        "policy_clause": "政策条款",
        "payment_mode": "支付方式",
        "fiscal_year": "年度",
        "opens_at": "开始时间",
        "closes_at": "截止时间",
        "checklist": "材料清单",
        "form_fields": "表单字段",
        "sla": "办理时限",
        "amount_fen": "金额（分）",
        "payee_name": "收款人",
        "payee_bank": "开户行",
    }
)
