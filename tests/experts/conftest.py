"""Fixtures for expert tests: staff and reviewer accounts, and an expert factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.factories import make_user, new_uscc

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.experts import service as experts_service
from longcheng.experts.models import Expert
from longcheng.experts.schemas import ExpertIn

MakeExpert = Callable[..., Expert]


@pytest.fixture
def staff(session: Session) -> dict[str, Actor]:
    spec = {"eadmin": Role.admin, "eofficer": Role.officer, "eaudit": Role.auditor, "efirm": Role.enterprise}
    out = {}
    for name, role in spec.items():
        extra = {"org_uscc": new_uscc()} if role is Role.enterprise else {}
        out[name] = make_user(session, username=name, role=role, display_name=name, **extra).to_actor()
    return out


@pytest.fixture
def make_expert(session: Session) -> MakeExpert:
    counter = iter(range(1, 100_000))

    def make(**fields: Any) -> Expert:
        data: dict[str, Any] = {"name": f"专家{next(counter)}", "fields": ["ai"], "employer_uscc": new_uscc()}
        data.update(fields)
        return experts_service.create(session, actor=SYSTEM, data=ExpertIn.model_validate(data))

    return make


@pytest.fixture
def reviewer(session: Session, make_expert: MakeExpert) -> tuple[Actor, Expert]:
    user = make_user(session, username="ereviewer", role=Role.reviewer, display_name="评审甲")
    expert = make_expert(name="评审甲", username="ereviewer")
    return user.to_actor(), expert
