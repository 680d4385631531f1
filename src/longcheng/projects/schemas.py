"""Input shapes of the projects module and the checks behind them (validation lives here).

Amounts are typed the way officers write them: ``101亿元``, ``5000万``, ``10亿美元``, or a bare
number meaning 万 (of the stated currency). A negative amount is refused; an implausible one
(1万亿 for a 5-亩 plot) passes with a warning that is stored and shown (:func:`plausibility_warnings`).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from longcheng.core.ids import normalise_uscc, uscc_problem
from longcheng.core.money import MoneyParseError, parse_amount, parse_number
from longcheng.core.validation import CleanMultiline, CleanText
from longcheng.projects.schedule.progress import amount_text
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage
from longcheng.projects.vocab import ceremony_kinds, find_code, programmes, project_types
from longcheng.registry import reference as ref
from longcheng.registry.schemas import DistrictCode, OptIndustryCode, OptZoneCode

_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
WAN_FEN = 1_000_000  # 1 万元 in fen
YI_FEN = 10_000_000_000  # 1 亿元 in fen


def _blank_to_none(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]


def stage_from_text(text: str) -> Stage:
    """A stage from its code (``signed``) or Chinese name (``签约``)."""
    found = find_code({s.value: s.label for s in STAGE_ORDER}, text)
    if found is None:
        raise ValueError(f"未知的项目阶段“{text}”，可选：{'、'.join(s.label for s in STAGE_ORDER)}")
    return Stage(found)


def parse_money(text: str, currency: str = "CNY") -> tuple[int, str]:
    """``101亿元`` → (fen, "CNY"); ``10亿美元`` → (1/100 USD, "USD"); a bare number is 万 of ``currency``."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        raise ValueError("金额不能为空")
    if cleaned.startswith(("-", "－", "负")):
        raise ValueError("投资额不能为负数")
    if _BARE_NUMBER.fullmatch(cleaned):
        return _wan_to_minor(Decimal(cleaned)), currency
    explicit = "元" in cleaned or cleaned.endswith(("币", "镑", "法郎", "卢布"))
    try:
        amount = parse_amount(cleaned if explicit else cleaned + "元")
    except MoneyParseError:
        raise ValueError(f"金额“{text}”无法识别，请写成 5000（万元）、3.5亿元或 10亿美元") from None
    if amount.value_fen is None:
        raise ValueError(f"金额“{text}”是一个区间，请填写一个确定的数额")
    return amount.value_fen, amount.currency if explicit else currency


def _wan_to_minor(number: Decimal) -> int:
    if number < 0:
        raise ValueError("投资额不能为负数")
    minor = number * WAN_FEN
    if minor != minor.to_integral_value():
        raise ValueError("金额最多精确到分")
    return int(minor)


def check_uscc(value: str) -> str:
    code = normalise_uscc(value)
    problem = uscc_problem(code)
    if problem is not None:
        raise ValueError(problem.message)
    return code


class InvestorIn(BaseModel):
    """An investor by USCC (looked up in the registry) or, for a firm not registered yet, by name."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    uscc: OptStr = None
    name: OptStr = None

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, v: str | None) -> str | None:
        return check_uscc(v) if v else None

    @model_validator(mode="after")
    def _one(self) -> InvestorIn:
        if not self.uscc and not self.name:
            raise ValueError("投资方须填写统一社会信用代码或名称")
        return self


class PersonIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: CleanText = Field(min_length=1, max_length=60)
    title: CleanText = Field(default="", max_length=100)
    phone: CleanText = Field(default="", max_length=40)
    username: OptStr = None


class ProjectFields(BaseModel):
    """What an officer fills in; places, industries, lists and stages by code or Chinese name."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: CleanText = Field(min_length=2, max_length=200)
    project_type: str = "industrial"
    summary: CleanMultiline = Field(default="", max_length=4000)
    district: DistrictCode
    park: OptZoneCode = None
    industry: OptIndustryCode = None
    cooperation: OptStr = None
    partner_region: CleanText = Field(default="", max_length=60)
    lists: list[Annotated[CleanText, Field(max_length=60)]] = Field(default_factory=list)
    investors: list[InvestorIn] = Field(default_factory=list)
    currency: str = "CNY"
    agreed_investment: OptStr = None
    total_investment: OptStr = None
    land_mu: Decimal | None = Field(default=None, ge=0, le=1_000_000)
    floor_area_m2: int | None = Field(default=None, ge=0, le=100_000_000)
    expected_output: OptStr = None
    expected_tax: OptStr = None
    expected_jobs: int | None = Field(default=None, ge=0, le=10_000_000)
    leader_name: CleanText = Field(default="", max_length=60)
    leader_username: OptStr = None
    responsible_unit: CleanText = Field(default="", max_length=100)
    task_force: list[PersonIn] = Field(default_factory=list)
    contacts: list[PersonIn] = Field(default_factory=list)
    lead_on: date | None = None
    negotiating_on: date | None = None
    signed_on: date | None = None
    registered_on: date | None = None
    started_on: date | None = None
    completed_on: date | None = None
    producing_on: date | None = None
    at_capacity_on: date | None = None

    @field_validator("land_mu", mode="before")
    @classmethod
    def _land(cls, v: object) -> object:
        if isinstance(v, str):
            if not v.strip():
                return None
            try:
                return parse_number(v.replace("亩", ""))
            except (ValueError, ArithmeticError):
                raise ValueError(f"用地面积“{v}”应为数字（亩）") from None
        return v

    @field_validator("lists", mode="before")
    @classmethod
    def _split_lists(cls, v: object) -> object:
        if isinstance(v, str):
            return [
                n.strip()
                for n in v.replace("；", ";").replace("、", ";").replace(",", ";").split(";")
                if n.strip()
            ]
        return v

    @field_validator("project_type")
    @classmethod
    def _type(cls, v: str) -> str:
        code = find_code(project_types(), v)
        if code is None:
            raise ValueError(f"未知的项目类型“{v}”，可选：{'、'.join(project_types().values())}")
        return code

    @field_validator("cooperation")
    @classmethod
    def _cooperation(cls, v: str | None) -> str | None:
        if v is None:
            return None
        code = find_code({c: p.name for c, p in programmes().items()}, v)
        if code is None:
            raise ValueError(f"未知的合作机制“{v}”")
        return code

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        code = v.strip().upper() or "CNY"
        if len(code) != 3 or not code.isalpha():
            raise ValueError("币种应为三位字母代码，如 CNY、USD、EUR")
        return code

    @field_validator("agreed_investment", "total_investment", "expected_output", "expected_tax")
    @classmethod
    def _amount(cls, v: str | None) -> str | None:
        if v is not None:
            parse_money(v)
        return v

    @model_validator(mode="after")
    def _park_in_district(self) -> ProjectFields:
        if self.park is not None and ref.places()[self.park].district != self.district:
            raise ValueError(f"园区“{ref.places()[self.park].name}”不属于{ref.places()[self.district].name}")
        return self

    def stage_dates(self) -> dict[Stage, date]:
        return {s: d for s in STAGE_ORDER if (d := getattr(self, f"{s.value}_on")) is not None}


class ProjectCreate(ProjectFields):
    code: OptStr = Field(default=None, max_length=40)
    stage: Stage = Stage.lead
    plan_start: date | None = None

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, v: object) -> object:
        return stage_from_text(v) if isinstance(v, str) else v


class ProjectUpdate(ProjectFields):
    version: int = Field(ge=1, description="The version the editor saw; a newer one means a conflict.")


SortKey = Literal[
    "-total",
    "total",
    "name",
    "-name",
    "-signed",
    "signed",
    "-updated",
    "updated",
    "stage",
    "-stage",
    "code",
    "-code",
]
LightCode = Literal["green", "yellow", "red"]


class ProjectFilter(BaseModel):
    """What a list page, an API call or an export filters by (amounts in 万元)."""

    model_config = ConfigDict(extra="ignore")

    q: OptStr = None
    district: OptStr = None
    park: OptStr = None
    industry: OptStr = None
    list: OptStr = None
    light: Annotated[LightCode | None, BeforeValidator(_blank_to_none)] = None
    stage: Annotated[Stage | None, BeforeValidator(_blank_to_none)] = None
    cooperation: OptStr = None
    leader: OptStr = Field(default=None, description="The leader as named on projects (挂钩领导, exact).")
    min_wan: Annotated[Decimal | None, BeforeValidator(_blank_to_none)] = Field(default=None, ge=0)
    max_wan: Annotated[Decimal | None, BeforeValidator(_blank_to_none)] = Field(default=None, ge=0)
    sort: SortKey = "-total"


class StageChange(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    stage: Stage
    on: date
    reason: CleanMultiline = Field(default="", max_length=1000)
    version: int | None = Field(default=None, ge=1)

    @field_validator("stage", mode="before")
    @classmethod
    def _stage(cls, v: object) -> object:
        return stage_from_text(v) if isinstance(v, str) else v


class CeremonyIn(BaseModel):
    """A 集中签约/开工/竣工: every named project moves to the ceremony's stage, or none does."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: str
    name: CleanText = Field(min_length=2, max_length=60)
    held_on: date
    codes: list[str] = Field(min_length=1, max_length=2000)
    reason: CleanMultiline = Field(default="", max_length=1000)

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        code = find_code({c: k.name for c, k in ceremony_kinds().items()}, v)
        if code is None:
            raise ValueError(f"未知的集中活动类型“{v}”")
        return code

    @field_validator("codes", mode="before")
    @classmethod
    def _codes(cls, v: object) -> object:
        if isinstance(v, str):
            return [
                c.strip()
                for c in v.replace("，", ",").replace("\n", ",").replace(" ", ",").split(",")
                if c.strip()
            ]
        return v


class OrderIn(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    subject: CleanText = Field(min_length=2, max_length=200)
    demand: CleanMultiline = Field(default="", max_length=4000)
    reply_working_days: int = Field(default=5, ge=1, le=60)


class ThresholdsIn(BaseModel):
    """The six numbers behind the lights, as an officer types them."""

    model_config = ConfigDict(extra="forbid")

    node_yellow_within_working_days: int = Field(ge=0, le=60)
    node_red_after_overdue_working_days: int = Field(ge=0, le=60)
    order_yellow_within_working_days: int = Field(ge=0, le=30)
    order_late_reply_red_working_days: int = Field(ge=0, le=250)
    schedule_yellow_below_pct: Decimal = Field(ge=0, le=100, decimal_places=1)
    schedule_red_below_pct: Decimal = Field(ge=0, le=100, decimal_places=1)
    version: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _order(self) -> ThresholdsIn:
        if self.schedule_red_below_pct > self.schedule_yellow_below_pct:
            raise ValueError("序时进度红灯阈值不能高于黄灯阈值")
        return self


def plausibility_warnings(
    *,
    total_fen: int,
    agreed_fen: int,
    land_centi_mu: int | None,
    expected_output_fen: int | None,
    expected_jobs: int | None,
) -> list[str]:
    """Warnings for figures that are possible but unlikely, so an officer checks the units.

    Saved with the project and shown on its page until the figures change; never a silent accept.
    """
    warnings: list[str] = []
    biggest = max(total_fen, agreed_fen)
    if biggest >= 1000 * YI_FEN:
        warnings.append(
            f"投资额达{amount_text(biggest)}，超过单个项目的常见规模（1000亿元），请核对金额单位（元/万元/亿元）。"
        )
    if land_centi_mu and biggest:
        per_mu = biggest * 100 // land_centi_mu
        if per_mu > 2 * YI_FEN:
            warnings.append(
                f"投资强度约{amount_text(per_mu)}/亩，远高于工业项目常见水平（每亩数百万元），"
                "请核对投资额或用地面积。"
            )
    if expected_output_fen and total_fen and expected_output_fen > 50 * total_fen:
        warnings.append("预计年产值超过总投资的50倍，请核对金额单位。")
    if expected_jobs and expected_jobs > 50_000:
        warnings.append(f"预计新增就业{expected_jobs:,}人，规模罕见，请核对。")
    return warnings
