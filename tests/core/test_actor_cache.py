"""Who a credential belongs to is kept a moment per process, never past a change made here."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_user

from longcheng.core import actor_cache, users
from longcheng.core.actors import SYSTEM, Role

ORGS = "/api/v1/registry/orgs"


def test_a_revoked_token_fails_on_the_next_request(app_client: TestClient, session: Session) -> None:
    """A token that has just opened the list stops working on the very next request once an
    admin revokes it, and a second token of the same user goes on working."""
    admin = make_user(session, username="cacheadm")
    firm = make_user(session, username="cachefirm", role=Role.officer, district="xinbei")
    admin_headers, firm_headers = bearer(session, admin), bearer(session, firm)
    spare = users.create_token(session, actor=SYSTEM, user_id=firm.id, name="spare")
    session.commit()
    assert app_client.get(ORGS, headers=firm_headers).status_code == 200
    tokens = users.list_tokens(session, actor=SYSTEM, user_id=firm.id)
    token_id = max(t.id for t in tokens if t.name == "test")
    resp = app_client.post(f"/api/v1/users/{firm.id}/tokens/{token_id}/revoke", headers=admin_headers)
    assert resp.status_code == 200, resp.text
    refused = app_client.get(ORGS, headers=firm_headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.bad_token"
    assert app_client.get(ORGS, headers={"Authorization": f"Bearer {spare}"}).status_code == 200


def test_a_deactivated_user_is_refused_at_once(app_client: TestClient, session: Session) -> None:
    """Deactivating a user shuts every token of theirs on the next request."""
    admin = make_user(session, username="cacheadm2")
    officer = make_user(session, username="cacheoff", role=Role.officer, district="wujin")
    admin_headers, officer_headers = bearer(session, admin), bearer(session, officer)
    session.commit()
    assert app_client.get(ORGS, headers=officer_headers).status_code == 200
    resp = app_client.post(
        f"/api/v1/users/{officer.id}/deactivate", json={"reason": "调离"}, headers=admin_headers
    )
    assert resp.status_code == 200, resp.text
    assert app_client.get(ORGS, headers=officer_headers).status_code == 401


def test_entries_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry is given back until its time is up, then looked up again."""
    key = actor_cache.key_of("token", "abc")
    actor_cache.put(key, SYSTEM, actor_cache.audit.changes_seen())
    assert actor_cache.get(key) == SYSTEM
    monkeypatch.setattr(actor_cache, "TTL_SECONDS", -1.0)
    actor_cache.put(key, SYSTEM, actor_cache.audit.changes_seen())
    assert actor_cache.get(key) is None
    actor_cache.clear()
