"""Input of 揭榜挂帅: a challenge to publish, an agreement acceptance, a proposal."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, field_validator

from longcheng.core.clock import SHANGHAI
from longcheng.core.money import MoneyParseError, parse_amount
from longcheng.core.validation import CleanMultiline, CleanText, register_labels
from longcheng.matching.challenges.models import IpTerms
from longcheng.matching.ranker import default_taxonomy

register_labels(
    {
        "title": "标题",
        "field": "技术领域",
        "summary": "公开摘要",
        "details": "保密详情",
        "trl_current": "当前技术成熟度",
        "trl_target": "目标技术成熟度",
        "budget": "榜额",
        "deadline": "截止时间",
        "ip_terms": "知识产权约定",
        "agreement_text": "揭榜协议",
        "seeker_name": "发榜单位",
        "approach": "技术方案",
        "version": "协议版本",
    }
)

Trl = Annotated[int, Field(ge=1, le=9)]


def parse_budget(value: object) -> int:
    """``50万元`` / ``1.2亿`` / ``300000`` (a bare number is 万元) → fen, CNY only."""
    text = str(value).strip()
    if not text:
        raise ValueError("请填写榜额，如“50万元”")
    if text.replace(".", "", 1).isdigit():
        text += "万元"
    try:
        amount = parse_amount(text)
    except MoneyParseError as exc:
        raise ValueError(f"无法识别的金额：{text}") from exc
    if amount.currency != "CNY" or amount.value_fen is None:
        raise ValueError("榜额须为人民币确定金额")
    if amount.value_fen <= 0:
        raise ValueError("榜额须大于零")
    return amount.value_fen


def parse_deadline(value: object) -> datetime:
    """A date (the end of that day, Beijing time) or an ISO date-time (Beijing time if naive)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value + timedelta(days=1), time(0), SHANGHAI) - timedelta(seconds=1)
    else:
        text = str(value).strip()
        try:
            if len(text) == 10:
                return parse_deadline(date.fromisoformat(text))
            moment = datetime.fromisoformat(text)
        except ValueError as exc:
            raise ValueError("截止时间格式应为 2027-03-31 或 2027-03-31T17:00") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


class ChallengeIn(BaseModel):
    """A challenge to publish (the seeker is the enterprise user, or named by an officer)."""

    title: CleanText = Field(min_length=2, max_length=200)
    field: CleanText = Field(min_length=2, max_length=40)
    summary: CleanMultiline = Field(min_length=2, max_length=4000)
    details: CleanMultiline = Field(default="", max_length=20000)
    trl_current: Trl
    trl_target: Trl
    budget: Annotated[int, BeforeValidator(parse_budget)]
    deadline: Annotated[datetime, BeforeValidator(parse_deadline)]
    ip_terms: IpTerms = IpTerms.seeker
    agreement_text: CleanMultiline = Field(
        default="揭榜方承诺对保密详情保密，仅用于准备本榜单的揭榜方案。", min_length=2, max_length=8000
    )
    seeker_name: CleanText = Field(default="", max_length=200)
    anonymous: bool = False
    district: CleanText | None = None
    top_ten: bool = False

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        taxonomy = default_taxonomy()
        field = taxonomy.field_of(value)
        if field is None or field not in value:
            raise ValueError("技术领域须为目录中的领域：" + "、".join(taxonomy.fields))
        return value


class AcceptIn(BaseModel):
    """The click-through: the solver accepts this version of the agreement."""

    version: int = Field(ge=1)


class ProposalIn(BaseModel):
    """A solver's proposal."""

    title: CleanText = Field(min_length=2, max_length=200)
    approach: CleanMultiline = Field(min_length=10, max_length=20000)
    solver_name: CleanText = Field(default="", max_length=200)
