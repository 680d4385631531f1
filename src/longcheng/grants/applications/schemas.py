"""Input shapes of applications."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from longcheng.core.validation import CleanMultiline, CleanText


class DraftIn(BaseModel):
    """What the firm fills in; ``requested_fen`` in fen, the account number in clear (encrypted on save)."""

    model_config = ConfigDict(extra="forbid")

    requested_fen: int | None = Field(default=None, ge=0)
    form: dict[str, str] = Field(default_factory=dict)
    bank_account: str | None = Field(default=None, pattern=r"^[0-9 ]{8,32}$")
    bank_name: CleanText = Field(default="", max_length=120)


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_stage: str
    reason: CleanMultiline = Field(default="", max_length=2000)
    return_working_days: int = Field(default=5, ge=1, le=30)


class QueueFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    stage: str | None = None
    window: int | None = None
    district: str | None = None
    light: Literal["red", "yellow", "green", "grey"] | None = None
    sort: Literal["-age", "number", "-requested"] = "-age"
