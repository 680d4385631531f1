"""Input of 先建后补 acceptance: an inspection's record."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class InspectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inspected_on: date = Field(title="验收日期")
    members: list[str] = Field(min_length=2, max_length=15, title="验收组成员")
    findings: str = Field(default="", max_length=4000, title="验收意见")
    result: Literal["pass", "fail", "rectify"] = Field(title="验收结论")
    rectify_working_days: int | None = Field(default=None, ge=1, le=120, title="整改期限（工作日）")

    @model_validator(mode="after")
    def _rectify_needs_deadline(self) -> InspectionIn:
        if self.result == "rectify" and self.rectify_working_days is None:
            raise ValueError("限期整改须填写整改期限（工作日）")
        if self.result != "pass" and len(self.findings.strip()) < 2:
            raise ValueError("不通过或限期整改须写明验收意见")
        return self


class AcceptanceFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    state: str | None = None
    programme: str | None = None
