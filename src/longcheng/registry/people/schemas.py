"""Shapes of people and relations, for forms, the API, the import and other modules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.pii import ids

ROLE_LABELS = {"legal_rep": "法定代表人", "shareholder": "股东", "director": "董事", "supervisor": "监事"}
ROLE_BY_LABEL = {label: role for role, label in ROLE_LABELS.items()}
PersonRole = Literal["legal_rep", "shareholder", "director", "supervisor"]


class OrgPersonIn(BaseModel):
    """One person or holder as entered; the resident ID is checked and never stored in clear."""

    role: PersonRole = Field(title="角色")
    name: str = Field(min_length=1, max_length=200, title="姓名或名称")
    id_number: str | None = Field(default=None, title="身份证号")
    holder_uscc: str | None = Field(default=None, title="股东统一社会信用代码")
    share_ratio: Decimal | None = Field(
        default=None, ge=0, le=100, max_digits=7, decimal_places=4, title="持股比例"
    )
    since: date | None = Field(default=None, title="任职或持股起始日")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        text = " ".join(value.split())
        if not text:
            raise ValueError("姓名不能为空")
        return text

    @field_validator("id_number")
    @classmethod
    def _id_number(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return ids.parse_resident_id(value).number
        except ids.InvalidResidentId as exc:
            raise ValueError(exc.message_text.rstrip("。")) from None

    @field_validator("holder_uscc")
    @classmethod
    def _holder(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        code = normalise_uscc(value)
        problem = uscc_problem(code)
        if problem is not None:
            raise ValueError(problem.message.rstrip("。"))
        return code


@dataclass(frozen=True)
class OrgPersonView:
    """What other modules and pages see: the ID only as its blind index (and masked on pages)."""

    uscc: str
    role: str
    name: str
    person_index: str | None
    holder_uscc: str | None
    share_ratio: Decimal | None
    since: date | None
    id_masked: str | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class Relation:
    """Why two organisations (or a person and an organisation) are related, in words and evidence."""

    kind: str  # same_org | shared_legal_rep | shared_shareholder | holds | held_by | same_name
    label_zh: str
    evidence_zh: str
    by_name_only: bool = False
