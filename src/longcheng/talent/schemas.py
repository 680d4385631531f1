"""Talent schemas: what forms, the JSON API, the imports and the CLI validate through."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from longcheng.core.validation import CleanText, register_labels

Degree = Literal["associate", "bachelor", "master", "doctor"]
Housing = Literal["unknown", "none", "rented", "owned"]

DEGREE_LABELS = {"associate": "专科", "bachelor": "本科", "master": "硕士", "doctor": "博士"}
DEGREE_BY_LABEL = {v: k for k, v in DEGREE_LABELS.items()}
HOUSING_LABELS = {"unknown": "未知", "none": "无自有住房", "rented": "租房", "owned": "自有住房"}

register_labels(
    {
        "id_number": "身份证号码",
        "degree": "学历",
        "school": "毕业院校",
        "graduation_date": "毕业日期",
        "employer_uscc": "用人单位统一社会信用代码",
        "start_date": "来常就业日期",
        "housing": "住房情况",
        "bank_account": "银行账号",
        "month": "月份",
        "requested": "更正内容",
    }
)


class Schema(BaseModel):
    model_config = ConfigDict(from_attributes=True, str_strip_whitespace=True)


class PersonCreate(Schema):
    """An officer registers a person; birth date and sex come from the ID number."""

    name: CleanText = Field(min_length=2, max_length=60)
    id_number: str = Field(min_length=1, max_length=30)
    degree: Degree
    school: CleanText = Field(default="", max_length=120)
    graduation_date: date
    employer_uscc: str | None = Field(default=None, max_length=18)
    start_date: date | None = None
    housing: Housing = "unknown"


class PersonUpdate(Schema):
    """Every field optional; the ID number cannot change (a new person is a new record)."""

    name: CleanText | None = Field(default=None, min_length=2, max_length=60)
    degree: Degree | None = None
    school: CleanText | None = Field(default=None, max_length=120)
    graduation_date: date | None = None
    employer_uscc: str | None = Field(default=None, max_length=18)
    start_date: date | None = None
    left_date: date | None = None
    housing: Housing | None = None


class PersonRead(Schema):
    """A person as a list or an API shows them: numbers masked."""

    id: int
    name: str
    id_masked: str
    birth_date: date
    sex: str
    degree: str
    degree_label: str
    school: str
    graduation_date: date
    employer_uscc: str | None
    employer_name: str
    district: str | None
    start_date: date | None
    left_date: date | None
    si_months: int
    housing: str
    bank_masked: str
    confirmed: bool


class PersonPage(Schema):
    items: list[PersonRead]
    total: int
    page: int
    page_size: int


class Unmasked(Schema):
    """The clear numbers, for ``talent:pii`` holders (each view audited)."""

    id: int
    id_number: str
    bank_account: str | None


class BankChange(Schema):
    bank_account: str = Field(min_length=8, max_length=40)


class Confirmation(Schema):
    """实名确认: the person types their ID number and bank account once; both must match."""

    id_number: str = Field(min_length=1, max_length=30)
    bank_account: str = Field(min_length=8, max_length=40)


class CorrectionCreate(Schema):
    field: Literal["name", "degree", "school", "graduation_date", "employer", "start_date", "other"]
    requested: CleanText = Field(min_length=1, max_length=500)
    note: CleanText = Field(default="", max_length=1000)


class CorrectionRead(Schema):
    id: int
    person_id: int
    field: str
    requested: str
    note: str
    status: str
    answer: str
    created_at: datetime


class RunRequest(Schema):
    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")


class JobStarted(Schema):
    """A queued background job: follow it in the 任务中心 (``/api/v1/jobs/{job}``)."""

    job: int


class RunRead(Schema):
    id: int
    month: str
    population: int
    qualifying: int
    total_fen: int
    new_count: int
    stopped_count: int
    changed_count: int
    notified: int
    payment_lines: int
    finished_at: datetime


class ResultRead(Schema):
    person_id: int
    month: str
    qualifies: bool
    amount: str
    reason: str
    explanation: dict[str, object]


class PaymentRead(Schema):
    id: int
    person_id: int
    month: str
    kind: str
    amount_fen: int
    currency: str
    status: str
    payable_status: str


class SourceRead(Schema):
    source: str
    label: str
    last_import: datetime | None
    rows: int
    changed: int
    covers_month: str | None
    summary: str
    fresh_for: str | None


class Freshness(Schema):
    sources: list[SourceRead]
