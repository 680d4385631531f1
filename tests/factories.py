"""Plain factory functions for tests: keyword defaults, real service calls, no commits."""

from __future__ import annotations

import random
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.ids import make_uscc
from longcheng.registry import service as registry_service
from longcheng.registry.models import Organisation
from longcheng.registry.schemas import OrgCreate

PASSWORD = "correct-horse-42"
_rng = random.Random(7)


def new_uscc(division: str = "320411") -> str:
    return make_uscc(_rng, division=division)


def make_org(session: Session, **fields: Any) -> Organisation:
    data = {"uscc": new_uscc(), "name": f"常州测试{_rng.randint(0, 10**9)}科技有限公司", "district": "xinbei"}
    data.update(fields)
    return registry_service.create(session, actor=SYSTEM, data=OrgCreate.model_validate(data))


def make_user(session: Session, *, username: str, role: Role = Role.admin, **fields: Any) -> users.User:
    return users.create(session, actor=SYSTEM, username=username, password=PASSWORD, role=role, **fields)


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token for later posts."""
    token = csrf_from(client.get("/login").text)
    resp = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    return token


def bearer(session: Session, user: users.User) -> dict[str, str]:
    token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="test")
    return {"Authorization": f"Bearer {token}"}
