"""Helpers shared by the policy service, view and push tests: firms with tags and R&D facts.

(No tests here; the file is named so that it sits with the policy tests it serves.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy.orm import Session
from tests.factories import make_org, new_uscc

from longcheng.core.actors import SYSTEM
from longcheng.registry import service as registry_service
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import FactCreate, TagCreate

YEAR = 2025
RD = "innovation.rd_growth_reward"
GRANTS = "innovation.grant_matching"
FIRST_CERT = "innovation.high_tech_first_cert"
SRDI = "innovation.srdi_level_reward"
LEVELS = {"high_tech": "national", "tech_sme": "national", "little_giant": "national"}


def yuan(amount: str) -> int:
    """``"2,000,000"`` → fen, for readable test data."""
    whole, _, cents = amount.replace(",", "").partition(".")
    return int(whole) * 100 + int((cents or "0").ljust(2, "0"))


def tag(
    session: Session,
    org: Organisation,
    code: str,
    start: date,
    end: date | None = None,
    level: str | None = None,
) -> None:
    data = TagCreate(
        tag=code,
        level=level or LEVELS.get(code, "city"),
        valid_from=start,
        valid_to=end or date(start.year + 3, start.month, 1),
        source="测试",
    )
    registry_service.add_tag(session, actor=SYSTEM, uscc=org.uscc, data=data)


def rd(session: Session, org: Organisation, values: Mapping[int, str], source: str = "测试年报") -> None:
    """R&D spending by year, in yuan."""
    for year, amount in values.items():
        data = FactCreate(kind="rd_spending", year=year, value=yuan(amount), source=source)
        registry_service.add_fact(session, actor=SYSTEM, uscc=org.uscc, data=data)


def firm(
    session: Session,
    *,
    name: str | None = None,
    district: str = "xinbei",
    tags: Iterable[tuple[str, date]] = (("high_tech", date(2024, 6, 1)),),
    growth: str | None = "2,000,000",
    base: str = "5,000,000",
) -> Organisation:
    """A registered enterprise with tags and two years of R&D spending (growth in yuan)."""
    fields = {"district": district}
    if name:
        fields["name"] = name
    org = make_org(session, uscc=new_uscc(), **fields)
    for code, start in tags:
        tag(session, org, code, start)
    if growth is not None:
        grown = yuan(base) + yuan(growth)
        rd(session, org, {YEAR - 1: base, YEAR: f"{grown // 100}.{grown % 100:02d}"})
    return org
