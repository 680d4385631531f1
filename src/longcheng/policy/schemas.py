"""Input shapes of the policy API and pages; validation of requests lives here.

Amounts arrive as yuan in text (``"2000000"``, ``"20万"``) and are parsed by the engine's own
parser (``policy.amounts``), never as floats.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from longcheng.policy.engine.amounts import parse_fen


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
ResultSort = Literal["-amount", "amount", "name", "uscc"]
ChangeKind = Literal["new", "dropped", "changed"]
AwardStatus = Literal["pending", "confirmed", "changed", "withheld"]


class EvaluateRequest(BaseModel):
    """``POST /api/v1/policy/evaluate``: one clause on typed inputs (money in yuan text)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clause: str = Field(min_length=1, max_length=80)
    year: int | None = Field(default=None, ge=1900, le=2200)
    period: OptStr = None
    inputs: dict[str, str | int | bool] = Field(default_factory=dict)
    reading: OptStr = None
    pack: OptStr = None

    @field_validator("inputs")
    @classmethod
    def _no_floats(cls, v: dict[str, object]) -> dict[str, object]:
        for name, value in v.items():
            if isinstance(value, float):
                raise ValueError(f'“{name}”的金额请写成文本（如 "123.45"），浮点数会丢失分')
        return v


class RunCreate(BaseModel):
    """``POST /api/v1/policy/runs``: a registry-backed batch for one year."""

    model_config = ConfigDict(extra="forbid")

    year: int | None = Field(default=None, ge=1900, le=2200)
    readings: dict[str, str] = Field(default_factory=dict)
    notify: bool = True
    pack: OptStr = None


class ResultFilter(BaseModel):
    """What the officer's per-clause list and its export filter by."""

    model_config = ConfigDict(extra="ignore")

    year: OptStr = None
    district: OptStr = None
    q: OptStr = None
    min_amount: OptStr = None
    sort: ResultSort = "-amount"

    @field_validator("min_amount")
    @classmethod
    def _amount(cls, v: str | None) -> str | None:
        if v is not None:
            parse_fen(v)
        return v

    @property
    def min_fen(self) -> int | None:
        return parse_fen(self.min_amount) if self.min_amount else None


class ChangeFilter(BaseModel):
    """What a run's notification list (精准推送) and its export filter by."""

    model_config = ConfigDict(extra="ignore")

    kind: ChangeKind | None = None
    clause: OptStr = None
    district: OptStr = None
    q: OptStr = None

    @field_validator("kind", mode="before")
    @classmethod
    def _blank(cls, v: object) -> object:
        return _blank_to_none(v)


class AwardFilter(BaseModel):
    """The 免申即享 list: one clause, one year, optionally a district and a status."""

    model_config = ConfigDict(extra="ignore")

    clause: OptStr = None
    year: OptStr = None
    district: OptStr = None
    status: AwardStatus | None = None
    q: OptStr = None

    @field_validator("status", mode="before")
    @classmethod
    def _blank(cls, v: object) -> object:
        return _blank_to_none(v)


class AwardDecision(BaseModel):
    """Confirm (or withhold, with a reason) the listed firms' amounts under one clause."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    clause: str = Field(min_length=1, max_length=80)
    year: int | None = Field(default=None, ge=1900, le=2200)
    usccs: list[str] = Field(min_length=1, max_length=5000)
    decision: Literal["confirmed", "withheld"] = "confirmed"
    note: str = Field(default="", max_length=500)
    pack: OptStr = None

    @field_validator("note")
    @classmethod
    def _note(cls, v: str) -> str:
        return v.strip()


class RunRead(BaseModel):
    """A stored batch run: what it evaluated, how many qualify, the total (元 and fen), the changes."""

    id: int
    pack: str
    period: str
    source: str
    population: int
    qualifying: int
    total: str
    total_fen: int
    previous_run: int | None
    new: int
    dropped: int
    changed: int
    notified: int
    readings: dict[str, str]
    clauses: list[dict[str, Any]]
    skipped: dict[str, str]
    actor: str
    started_at: str
    finished_at: str


class RunDetail(RunRead):
    visible_changes: dict[str, int]


class ResultRead(BaseModel):
    """One qualifying firm under a clause, with the amount and its basis."""

    uscc: str
    name: str
    district: str | None
    clause: str
    amount: str
    amount_fen: int
    reading: str
    reason: str
    basis: dict[str, str]


class AwardRead(ResultRead):
    status: str


class ChangeRead(BaseModel):
    """精准推送: a firm newly qualifying, dropped out, or with a changed amount."""

    uscc: str
    name: str
    district: str | None
    clause: str
    kind: str
    amount: str | None
    previous_amount: str | None
    reason: str


class RunPage(BaseModel):
    items: list[RunRead]
    total: int
    page: int


class ResultPage(BaseModel):
    items: list[ResultRead]
    total: int
    page: int


class ChangePage(BaseModel):
    items: list[ChangeRead]
    total: int
    page: int


class AwardList(BaseModel):
    """免申即享: the latest run's list under a clause with each firm's confirmation status."""

    clause: str
    run: int | None
    counts: dict[str, int]
    total: int
    items: list[AwardRead]


class DecidedRead(BaseModel):
    decided: int


class MessageRead(BaseModel):
    """One message of the enterprise inbox."""

    id: int
    kind: str
    kind_label: str
    title: str
    body: str
    clause: str
    clause_title: str
    year: str
    created_at: str
    read: bool


class InboxPage(BaseModel):
    items: list[MessageRead]
    total: int
    page: int
    unread: int


class ReadRead(BaseModel):
    status: str
    unread: int


class MarkedRead(BaseModel):
    marked: int


class PackRead(BaseModel):
    """The policy document a set of clauses comes from."""

    id: str
    title: str
    document_number: str | None
    issuer: str
    effective_from: str
    effective_to: str | None
    illustrative: bool
    note: str


class _Open(BaseModel):
    """An engine answer: the keys below are promised, the engine may add explanatory ones."""

    model_config = ConfigDict(extra="allow")


class ClauseRead(_Open):
    """A clause's metadata: who it is for, its period, readings, inputs and data sources."""

    id: str
    title: str
    article: str
    reference: str
    entity: str
    entity_label: str
    period: str
    channel: str
    default_reading: str
    readings: list[dict[str, Any]]
    inputs: list[dict[str, Any]]
    sources: list[str]


class ClauseList(BaseModel):
    pack: PackRead
    clauses: list[ClauseRead]


class GuideRead(_Open):
    """The 申兑指南 of a clause for a period: who, how much, by when, what to bring, whom to ask."""

    clause: str
    title: str
    policy: str
    document_number: str | None
    issuer: str
    article: str
    period: str
    who: str
    conditions: list[str]
    amount: dict[str, Any]
    deadline: str
    materials: list[str]
    how: str
    channel: str
    contact: dict[str, Any]
    reference: str
    illustrative: bool


class ExplanationRead(_Open):
    """One clause evaluated: whether it applies, the amount (元 and fen) and every step of why."""

    clause: str
    title: str
    period: str
    qualifies: bool
    reason: str
    amount: str
    amount_fen: int
    conditions: list[Any]
    brackets: list[Any]
    reading: dict[str, Any]


class OrgHit(BaseModel):
    uscc: str
    name: str
    district: str | None


class OrgHits(BaseModel):
    items: list[OrgHit]


class LookupRead(_Open):
    """政策一键查: the clauses a firm qualifies for (with explanations) and those it does not."""

    uscc: str
    name: str
    district: str | None
    year: str
    pack: PackRead
    qualifying: list[dict[str, Any]]
    not_qualifying: list[dict[str, Any]]
    total: str
    total_fen: int
