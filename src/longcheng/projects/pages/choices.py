"""What a filter bar or a form offers, with Chinese labels: districts, stages, lists, leaders …"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.projects.schedule.progress import amount_text
from longcheng.projects.schedule.stages import STAGE_ORDER
from longcheng.projects.service.query import leaders, list_names
from longcheng.projects.vocab import official_lists, programmes, project_types
from longcheng.registry import reference as ref

LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


def choices(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything a filter bar or a form offers, with Chinese labels."""
    in_use = list_names(session)
    official = official_lists()
    industries = [i for i in ref.industries().values() if i.code.isdigit() and len(i.code) == 2]
    return {
        "districts": ref.districts(),
        "zones": ref.zones(),
        "stages": STAGE_ORDER,
        "stage_labels": {s.value: s.label for s in STAGE_ORDER},
        "stage_options": [(s.value, s.label) for s in STAGE_ORDER],
        "light_labels": LIGHT_LABELS,
        "industries": industries,
        "industry_options": [(i.code, f"{i.code} {i.name}") for i in industries],
        "official_lists": official,
        "all_lists": official + sorted(n for n in in_use if n not in official),
        "programmes": programmes(),
        "project_types": project_types(),
        "place_name": ref.place_name,
        "industry_name": ref.industry_name,
        "amount": amount_text,
        "leaders": leaders(session, actor=actor),
    }
