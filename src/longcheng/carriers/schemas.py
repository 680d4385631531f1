"""Input of carriers and leads; money typed in 元 (rent per m² per month) or 万元 (prices)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from longcheng.carriers.models import LAND_USES, STATUSES, CarrierKind
from longcheng.core.validation import CleanMultiline, CleanText, register_labels
from longcheng.registry import reference

register_labels(
    {
        "name": "名称",
        "kind": "载体类型",
        "district": "所在区",
        "park": "所在园区",
        "total_area_m2": "总面积（平方米）",
        "available_area_m2": "可租售面积（平方米）",
        "land_mu": "面积（亩）",
        "land_use": "用地性质",
        "plot_ratio": "容积率",
        "rent_yuan": "租金（元/平方米·月）",
        "price_wan": "挂牌价（万元）",
        "power_kva": "电力容量（千伏安）",
        "floor_load_kn_m2": "楼面荷载（千牛/平方米）",
        "clear_height_m": "净高（米）",
        "investor": "投资方",
        "need_kind": "需求类型",
        "need_area_m2": "需求面积（平方米）",
        "budget_wan": "预算（万元）",
        "lat": "纬度",
        "lon": "经度",
        "need_power_kva": "用电需求（千伏安）",
        "jobs": "预计就业（人）",
        "timeline": "时间计划",
    }
)


def _district(value: object) -> str:
    place = reference.find_place(str(value or ""))
    if place is None or not place.is_district:
        raise ValueError("请选择常州市的区（如 武进区、新北区）")
    return place.code


def _park(value: object) -> str | None:
    if value in (None, ""):
        return None
    place = reference.find_place(str(value))
    if place is None or place.is_district:
        raise ValueError("未知的园区，请从园区目录中选择")
    return place.code


def _decimal(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError("请输入数字") from exc


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


OptStr = Annotated[str | None, BeforeValidator(_blank_to_none)]
District = Annotated[str, BeforeValidator(_district)]
Park = Annotated[str | None, BeforeValidator(_park)]
Num = Annotated[Decimal | None, BeforeValidator(_decimal)]
Lat = Annotated[Decimal | None, BeforeValidator(_decimal), Field(default=None, ge=-90, le=90)]
Lon = Annotated[Decimal | None, BeforeValidator(_decimal), Field(default=None, ge=-180, le=180)]


def _both_or_neither(lat: Decimal | None, lon: Decimal | None) -> None:
    if (lat is None) != (lon is None):
        raise ValueError("经纬度须同时填写或同时留空")


class CarrierIn(BaseModel):
    """A carrier as a form or the API gives it; kind-specific rules are checked by the service."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    name: CleanText = Field(min_length=2, max_length=200)
    kind: CarrierKind
    district: District
    park: Park = None
    operator: CleanText = Field(default="", max_length=200)
    address: CleanText = Field(default="", max_length=300)
    industries: CleanText = Field(default="", max_length=300)
    total_area_m2: int | None = Field(default=None, le=100_000_000)
    available_area_m2: int | None = Field(default=None, le=100_000_000)
    land_mu: Num = None
    land_use: str | None = None
    plot_ratio: Num = None
    rent_yuan: Num = None
    price_wan: Num = None
    power_kva: int | None = Field(default=None, ge=0, le=10_000_000)
    floor_load_kn_m2: Num = None
    clear_height_m: Num = None
    status: str = "available"
    description: CleanMultiline = Field(default="", max_length=4000)
    lat: Lat = None
    lon: Lon = None

    @model_validator(mode="after")
    def _coordinates(self) -> CarrierIn:
        _both_or_neither(self.lat, self.lon)
        return self

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> object:
        text = str(value)
        for code, kind in CarrierKind.__members__.items():
            if text in (code, kind.label):
                return code
        return value

    @field_validator("land_use", mode="before")
    @classmethod
    def _land_use(cls, value: object) -> object:
        if value in (None, ""):
            return None
        for code, label in LAND_USES.items():
            if value in (code, label):
                return code
        raise ValueError("用地性质须为 工业、研发 或 商业")

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        for code, label in STATUSES.items():
            if value in (code, label):
                return code
        raise ValueError("状态须为 可招商、已预留 或 已满租/已出让")


class AvailabilityIn(BaseModel):
    """A change of the available area (someone moved in or out)."""

    available_area_m2: int = Field(ge=0, le=100_000_000)
    note: CleanText = Field(default="", max_length=200)


class LeadIn(BaseModel):
    """An investor lead's needs."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    investor: CleanText = Field(min_length=2, max_length=200)
    industry: CleanText = Field(default="", max_length=100)
    district: District
    need_kind: Literal["land", "building"]
    need_area_m2: int = Field(gt=0, le=100_000_000)
    need_land_use: str | None = None
    need_power_kva: int = Field(default=0, ge=0, le=10_000_000)
    budget_wan: Num = None
    timeline: CleanText = Field(default="", max_length=100)
    jobs: int | None = Field(default=None, ge=0, le=1_000_000)
    lat: Lat = None
    lon: Lon = None
    note: CleanMultiline = Field(default="", max_length=2000)

    @field_validator("need_land_use", mode="before")
    @classmethod
    def _need_land_use(cls, value: object) -> object:
        if value in (None, ""):
            return None
        for code, label in LAND_USES.items():
            if value in (code, label):
                return code
        raise ValueError("用地性质须为 工业、研发 或 商业")

    @model_validator(mode="after")
    def _coordinates(self) -> LeadIn:
        _both_or_neither(self.lat, self.lon)
        return self


class LeadFilter(BaseModel):
    """What the officers' list of leads, its export and the API filter by (blank = not given)."""

    model_config = ConfigDict(extra="ignore")

    q: OptStr = None
    status: OptStr = None
    need_kind: OptStr = None
    district: OptStr = None
    mine: OptStr = None
    sort: Literal["-created", "created", "-area", "investor"] = "-created"


class CarrierFilter(BaseModel):
    """What the officers' list of carriers and its export filter by (every status, not only vacant)."""

    model_config = ConfigDict(extra="ignore")

    q: OptStr = None
    kind: OptStr = None
    district: OptStr = None
    status: OptStr = None
