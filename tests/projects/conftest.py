"""Fixtures for the projects service, pages and CLI tests: people with roles and a project factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.factories import make_user

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.clock import local_today
from longcheng.core.validation import validate
from longcheng.projects import service
from longcheng.projects.models import Project
from longcheng.projects.schemas import ProjectCreate

MakeProject = Callable[..., Project]


def days_ago(n: int) -> date:
    return local_today() - timedelta(days=n)


@pytest.fixture
def people(session: Session) -> dict[str, Actor]:
    """An admin, a city-wide officer, a Xinbei and a Wujin officer, an auditor and a leader account."""
    spec = {
        "padmin": (Role.admin, None),
        "pcity": (Role.officer, None),
        "pxinbei": (Role.officer, "xinbei"),
        "pwujin": (Role.officer, "wujin"),
        "paudit": (Role.auditor, None),
        "pleader": (Role.officer, None),
    }
    return {
        name: make_user(session, username=name, role=role, district=district, display_name=name).to_actor()
        for name, (role, district) in spec.items()
    }


@pytest.fixture
def make_project(session: Session) -> MakeProject:
    """Create a project through the service (as the system) with sensible defaults."""
    counter = iter(range(1, 10_000))

    def make(**fields: Any) -> Project:
        data: dict[str, Any] = {
            "name": f"测试{next(counter)}号储能电池项目",
            "district": "xinbei",
            "total_investment": "50000",
            "agreed_investment": "48000",
            "land_mu": "200",
        }
        data.update(fields)
        actor = data.pop("actor", SYSTEM)
        return service.create(
            session, actor=actor, data=validate(ProjectCreate, data, code="projects.invalid")
        )

    return make
