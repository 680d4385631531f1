"""Input of the ledger's corrections: a returned payable's new bank account."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AccountIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account: str = Field(min_length=8, max_length=40, title="收款账号")
    bank: str = Field(min_length=2, max_length=120, title="开户行")
    reason: str = Field(min_length=2, max_length=300, title="更正理由")

    @field_validator("account")
    @classmethod
    def _digits(cls, v: str) -> str:
        digits = "".join(v.split())
        if not digits.isdigit() or not 8 <= len(digits) <= 30:
            raise ValueError("收款账号应为 8 到 30 位数字")
        return digits
