"""Input shapes of the member pages and API (validated by ``core.validation.validate``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from longcheng.core.ids import is_valid_uscc, normalise_uscc
from longcheng.core.validation import CleanMultiline, CleanText, register_labels

STATUS_LABELS = {"active": "正常", "suspended": "暂停"}
MANDATE_STATE_LABELS = {
    "valid": "有效",
    "pending": "未生效",
    "expired": "已过期",
    "revoked": "已撤销",
}


def _uscc(value: str) -> str:
    code = normalise_uscc(value)
    if not is_valid_uscc(code):
        raise ValueError("统一社会信用代码无效（应为 18 位且校验位正确），请按营业执照核对")
    return code


Uscc = Annotated[str, AfterValidator(_uscc)]


class MemberIn(BaseModel):
    """A member as the operator's form (or the API) gives it."""

    name: CleanText = Field(min_length=2, max_length=120)
    uscc: Uscc
    status: Literal["active", "suspended"] = "active"
    institution: str = ""


class MandateIn(BaseModel):
    """A client's mandate as the member's desk form gives it (the 委托书 comes as a file)."""

    kind: Literal["org", "person"] = "org"
    uscc: str = ""
    name: str = ""
    id_number: str = ""
    valid_from: date
    valid_to: date


class RevokeIn(BaseModel):
    """Why a mandate ends before its date (the client withdrew it, the papers were wrong...)."""

    reason: CleanMultiline = Field(min_length=2, max_length=500)


class MemberFilter(BaseModel):
    """The operator's member list: search by name or USCC, the status, an admin's institution."""

    q: str = ""
    status: str = ""
    inst: str = ""


register_labels({"inst": "交易机构"})
