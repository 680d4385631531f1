"""Helpers of the member tests: a member with one login, a mandate posted through the API."""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from tests.exchange.conftest import World
from tests.factories import bearer, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import local_today
from longcheng.core.ids import make_uscc
from longcheng.exchange.models import Bidder, Member

MEMBER_USCC = make_uscc(random.Random(12), division="320400")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def member_login(world: World) -> dict[str, str]:
    r = world.client.post(
        "/api/v1/exchange/members",
        json={"institution": "CZ", "name": "常州恒信产权经纪有限公司", "uscc": MEMBER_USCC},
        headers=world.admin,
    )
    assert r.status_code == 201, r.text
    user = make_user(world.session, username="member_agent", role=Role.bidder, display_name="恒信经办人")
    headers = bearer(world.session, user)
    world.session.commit()
    r = world.client.post(
        f"/api/v1/exchange/members/{r.json()['id']}/operators", json={"user_id": user.id}, headers=world.admin
    )
    assert r.status_code == 201, r.text
    return headers


def post_mandate(world: World, agent: dict[str, str], **form: Any) -> Any:
    today = local_today()
    body = form.pop("_file", PDF)
    data = {"valid_from": today.isoformat(), "valid_to": (today + timedelta(days=90)).isoformat(), **form}
    files = {"file": ("委托书.pdf", io.BytesIO(body), "application/pdf")}
    return world.client.post("/api/v1/exchange/member/mandates", data=data, files=files, headers=agent)


def uscc_of(world: World, bidder_id: int) -> str:
    b = world.session.get(Bidder, bidder_id)
    assert b is not None
    assert b.uscc is not None
    return b.uscc


def member_id(world: World, name: str = "常州恒信产权经纪有限公司") -> int:
    world.session.expire_all()
    found = world.session.scalar(select(Member.id).where(Member.name == name))
    assert found is not None
    return found


def qualified_for_client(world: World, agent: dict[str, str], client_id: int, code: str) -> int:
    """The member registers the client for ``code``; the operator qualifies it; the deposit is paid."""
    base = f"/api/v1/exchange/member/clients/{client_id}"
    r = world.client.post(
        f"{base}/listings/{code}/registrations", json={"accept_conditions": True}, headers=agent
    )
    assert r.status_code == 201, r.text
    reg_id = int(r.json()["id"])
    r = world.client.post(
        f"/api/v1/exchange/registrations/{reg_id}/review", json={"approve": True}, headers=world.operator
    )
    assert r.status_code == 200, r.text
    assert world.client.post(f"{base}/registrations/{reg_id}/deposit", headers=agent).status_code == 200
    return reg_id
