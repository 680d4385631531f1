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


REQUIRED_WORDS = {"必需": True, "必填": True, "是": True, "可选": False, "选填": False, "否": False}


def _parts(line: str) -> list[str]:
    return [p.strip() for p in line.replace("｜", "|").split("|")]


def _required(word: str, where: str) -> bool:
    if not word:
        return True
    if word not in REQUIRED_WORDS:
        raise ValueError(f"{where}：“{word}”应为“必需”或“可选”")
    return REQUIRED_WORDS[word]


def checklist_from_lines(text: str) -> list[dict[str, Any]]:
    """材料清单 as people type it, one item a line: ``编码|名称|类型（pdf,jpg）|上限MB|必需或可选``."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate((x for x in text.splitlines() if x.strip()), start=1):
        p = _parts(line) + [""] * 5
        where = f"材料清单第 {n} 行"
        if not p[0] or not p[1]:
            raise ValueError(f"{where}：须写明编码和名称，如 audit|专项审计报告|pdf|10|必需")
        types = [t.strip().lower() for t in p[2].replace("，", ",").split(",") if t.strip()] or ["pdf"]
        if not p[3].isdigit() and p[3]:
            raise ValueError(f"{where}：大小上限“{p[3]}”须为整数（MB）")
        out.append(
            {
                "code": p[0],
                "label": p[1],
                "types": types,
                "max_mb": int(p[3] or 10),
                "required": _required(p[4], where),
            }
        )
    return out


def fields_from_lines(text: str) -> list[dict[str, Any]]:
    """表单字段, one a line: ``编码|名称|类型（text/number/amount/date/choice）|必需或可选|选项1、选项2``."""
    out: list[dict[str, Any]] = []
    for n, line in enumerate((x for x in text.splitlines() if x.strip()), start=1):
        p = _parts(line) + [""] * 5
        where = f"表单字段第 {n} 行"
        if not p[0] or not p[1]:
            raise ValueError(f"{where}：须写明编码和名称，如 jobs|新增就业人数|number|必需")
        choices = [c.strip() for c in p[4].replace(",", "、").split("、") if c.strip()]
        out.append(
            {
                "code": p[0],
                "label": p[1],
                "type": p[2] or "text",
                "required": _required(p[3], where),
                "choices": choices,
            }
        )
    return out


def checklist_lines(items: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{i['code']}|{i['label']}|{','.join(i.get('types', []))}|{i.get('max_mb', 10)}|"
        f"{'必需' if i.get('required', True) else '可选'}"
        for i in items
    )


def field_lines(items: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{i['code']}|{i['label']}|{i.get('type', 'text')}|{'必需' if i.get('required', True) else '可选'}|"
        f"{'、'.join(i.get('choices', []))}"
        for i in items
    )
