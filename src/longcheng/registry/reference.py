"""Reference data of the registry, kept as YAML beside this file: places, industries, vocabularies.

Loaded once per process (the data is small and read-only). Lookups accept codes, official
names and the aliases documents use (“新北”, “常州高新区”).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    kind: str  # "district" or the zone kind (高新区, 经开区, 园区 …)
    district: str  # own code for a district, the parent district's code for a zone
    aliases: tuple[str, ...] = ()
    division: str = ""  # GB/T 2260 code of a district

    @property
    def is_district(self) -> bool:
        return self.kind == "district"


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    section: str


@dataclass(frozen=True)
class TagType:
    code: str
    label: str
    valid_years: int
    levels: tuple[str, ...]


@dataclass(frozen=True)
class FactKind:
    code: str
    label: str
    unit: str  # "fen" for money, "person" for counts


def _load(name: str) -> Any:
    text = resources.files("longcheng.registry").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(text)


@cache
def places() -> dict[str, Place]:
    data = _load("places.yaml")
    out: dict[str, Place] = {}
    for d in data["districts"]:
        out[d["code"]] = Place(
            d["code"], d["name"], "district", d["code"], tuple(d.get("aliases", ())), d["division"]
        )
    for z in data["zones"]:
        out[z["code"]] = Place(z["code"], z["name"], z["kind"], z["district"], tuple(z.get("aliases", ())))
    return out


@cache
def districts() -> list[Place]:
    """The districts (the same list on every call: do not change it)."""
    return [p for p in places().values() if p.is_district]


@cache
def zones(district: str | None = None) -> list[Place]:
    """The parks and zones, of one district or all (the same list on every call: do not change it)."""
    return [
        p for p in places().values() if not p.is_district and (district is None or p.district == district)
    ]


@cache
def _place_names() -> dict[str, Place]:
    index: dict[str, Place] = {}
    for p in places().values():
        for key in (p.code, p.name, *p.aliases):
            index[key] = p
    return index


def find_place(text: str) -> Place | None:
    """A place by code, name or alias; None when unknown."""
    return _place_names().get(text.strip())


def place_name(code: str | None, *, keep_unknown: bool = False) -> str:
    """A district or zone code as its Chinese name; blank when unknown, or with
    ``keep_unknown`` the place a name or alias stands for, else the code itself."""
    if not code:
        return ""
    place = places().get(code) or (find_place(code) if keep_unknown else None)
    if place:
        return place.name
    return code if keep_unknown else ""


def industry_name(code: str | None) -> str:
    """An industry code as its Chinese name (a 3–4 digit code by its division); blank when unknown."""
    found = find_industry(code) if code else None
    return found.name if found else ""


@cache
def industries() -> dict[str, Industry]:
    data = _load("industries.yaml")
    out = {code: Industry(code, name, code) for code, name in data["sections"].items()}
    for section, code, name in data["divisions"]:
        out[code] = Industry(code, name, section)
    return out


def find_industry(code: str) -> Industry | None:
    """A section letter, or a 2–4 digit code whose division exists (3410 → 34 通用设备制造业)."""
    code = code.strip().upper()
    if code in industries():
        return industries()[code]
    if code.isdigit() and 3 <= len(code) <= 4 and code[:2] in industries():
        parent = industries()[code[:2]]
        return Industry(code, parent.name, parent.section)
    return None


@cache
def _vocab() -> dict[str, Any]:
    data: dict[str, Any] = _load("vocab.yaml")
    return data


def org_types() -> dict[str, str]:
    return dict(_vocab()["org_types"])


def tag_types() -> dict[str, TagType]:
    return {
        code: TagType(code, t["label"], int(t["valid_years"]), tuple(t["levels"]))
        for code, t in _vocab()["tags"].items()
    }


def levels() -> dict[str, str]:
    return dict(_vocab()["levels"])


def fact_kinds() -> dict[str, FactKind]:
    return {code: FactKind(code, f["label"], f["unit"]) for code, f in _vocab()["facts"].items()}


def find_by_label(table: dict[str, str], text: str) -> str | None:
    """A vocabulary code from its code or its Chinese label."""
    text = text.strip()
    if text in table:
        return text
    return next((code for code, label in table.items() if label == text), None)


def district_code(text: str) -> str:
    """The code of a district named by code, name or alias; ValueError (Chinese) when unknown."""
    place = find_place(text)
    if place is None or not place.is_district:
        raise ValueError(f"未知的所属区“{text}”，可选：{'、'.join(p.name for p in districts())}")
    return place.code


def zone_code(text: str) -> str:
    """The code of a park or zone; ValueError (Chinese) when unknown."""
    place = find_place(text)
    if place is None or place.is_district:
        raise ValueError(f"未知的园区“{text}”")
    return place.code


def industry_code(text: str) -> str:
    """A GB/T 4754-2017 code; ValueError (Chinese) when it names no division."""
    found = find_industry(text)
    if found is None:
        raise ValueError(f"行业代码“{text}”不在 GB/T 4754-2017 中")
    return found.code
