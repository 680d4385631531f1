"""A second member institution with its own operator, beside the exchange tests' world."""

from __future__ import annotations

import random

import pytest
from tests.exchange.conftest import World
from tests.factories import bearer, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.ids import make_uscc
from longcheng.exchange import service as parties
from longcheng.exchange.schemas import InstitutionIn


@pytest.fixture
def other_operator(world: World) -> dict[str, str]:
    """The operator of 苏州产权交易所 (code SZ), another tenant of the alliance."""
    uscc = make_uscc(random.Random(11), division="320500")
    parties.create_institution(
        world.session, actor=SYSTEM, data=InstitutionIn(code="SZ", name="苏州产权交易所", uscc=uscc)
    )
    op = make_user(world.session, username="sz_operator", role=Role.operator, org_uscc=uscc)
    headers = bearer(world.session, op)
    world.session.commit()
    return headers


@pytest.fixture
def second_admin(world: World) -> dict[str, str]:
    """The supervisor (监管方) who reviews rulebook changes."""
    user = make_user(world.session, username="supervisor", role=Role.auditor)
    headers = bearer(world.session, user)
    world.session.commit()
    return headers
