"""What a filter bar or a form offers, with Chinese labels: districts, stages, lists, leaders …"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.projects.schedule.progress import amount_text
from longcheng.projects.schedule.stages import STAGE_ORDER
from longcheng.projects.service.query import leaders, list_names
from longcheng.projects.vocab import official_lists, programmes, project_types
from longcheng.registry import reference as ref
from longcheng.registry.reference import Industry

LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
LIGHT_OPTIONS = tuple(LIGHT_LABELS.items())


@cache
def _industries() -> tuple[list[Industry], list[tuple[str, str]]]:
    industries = [i for i in ref.industries().values() if i.code.isdigit() and len(i.code) == 2]
    return industries, [(i.code, f"{i.code} {i.name}") for i in industries]


@cache
def _stage_options() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in STAGE_ORDER]


@lru_cache(maxsize=64)
def _all_lists(official: tuple[str, ...], in_use: tuple[str, ...]) -> tuple[str, ...]:
    """The official lists, then the other names in use; the same tuple for the same names."""
    return official + tuple(sorted(n for n in in_use if n not in official))


def choices(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything a filter bar or a form offers, with Chinese labels. The lists are the same
    objects from one request to the next while their data is unchanged (see core.options)."""
    official = official_lists()
    industries, industry_options = _industries()
    return {
        "districts": ref.districts(),
        "zones": ref.zones(),
        "stages": STAGE_ORDER,
        "stage_labels": {s.value: s.label for s in STAGE_ORDER},
        "stage_options": _stage_options(),
        "light_labels": LIGHT_LABELS,
        "light_options": LIGHT_OPTIONS,
        "industries": industries,
        "industry_options": industry_options,
        "official_lists": official,
        "all_lists": _all_lists(tuple(official), list_names(session)),
        "programmes": programmes(),
        "project_types": project_types(),
        "place_name": ref.place_name,
        "industry_name": ref.industry_name,
        "amount": amount_text,
        "leaders": leaders(session, actor=actor),
    }
