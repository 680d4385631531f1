"""Input of progress reports: the programme's schedule, a report, a review, the list's filters."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    every_months: int = Field(ge=1, le=12, title="报告周期（月）")
    reports: int = Field(ge=1, le=24, title="报告期数")
    remind_days: int = Field(default=5, ge=1, le=30, title="提前提醒（工作日）")


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=10, max_length=8000, title="进度报告内容")


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "return"] = Field(title="审核结论")
    note: str = Field(default="", max_length=2000, title="审核意见")

    @model_validator(mode="after")
    def _return_needs_reasons(self) -> ReviewIn:
        if self.decision == "return" and len(self.note.strip()) < 2:
            raise ValueError("退回修改须写明理由")
        return self


class ProgressFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    state: str | None = None
    programme: str | None = None
    overdue: str | None = None
