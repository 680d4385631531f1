"""Fictional people for talent tests: resident ID numbers with valid GB 11643 check digits."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import SYSTEM, Actor
from longcheng.talent.models import Person
from longcheng.talent.schemas import PersonCreate
from longcheng.talent.service import people

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
MONTH = "2025-06"


def resident_id(birth: date, seq: int = 1, *, region: str = "320402", male: bool = True) -> str:
    """A fictional ID number: region, birth date, sequence (odd = male) and the check digit."""
    order = seq * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{order % 1000:03d}"
    return body + CHECK[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def with_wrong_check(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("1" if last != "1" else "2")


def person(session: Session, *, actor: Actor = SYSTEM, **fields: Any) -> Person:
    data: dict[str, Any] = {
        "name": "王小明",
        "id_number": resident_id(date(1995, 5, 20)),
        "degree": "master",
        "school": "常州大学",
        "graduation_date": date(2020, 6, 30),
        "start_date": date(2025, 2, 1),
    }
    data.update(fields)
    return people.create(session, actor=actor, data=PersonCreate.model_validate(data))


def csv_file(tmp: Path, name: str, header: list[str], rows: list[list[str]]) -> Path:
    path = tmp / name
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
