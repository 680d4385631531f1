"""Input of audit sampling and findings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    programme: str = Field(min_length=1, max_length=30, title="专项编号")
    fiscal_year: int = Field(ge=2000, le=2100, title="年度")
    size: int = Field(ge=1, le=1000, title="抽查数量")
    seed: int = Field(ge=0, le=2**31 - 1, title="随机种子")


class FindingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    result: Literal["ok", "issue"] = Field(title="核查结论")
    finding: str = Field(default="", max_length=4000, title="核查发现")
    clawback_fen: int = Field(default=0, ge=0, title="追回金额")

    @model_validator(mode="after")
    def _issue_needs_words(self) -> FindingIn:
        if self.result == "issue" and len(self.finding.strip()) < 2:
            raise ValueError("发现问题须写明核查发现")
        if self.result == "ok" and self.clawback_fen:
            raise ValueError("无问题的核查不能追回资金")
        return self


class ItemFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    result: str | None = None
    sample: int | None = None
