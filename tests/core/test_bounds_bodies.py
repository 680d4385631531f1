"""Numbers and dates out of range, inside JSON bodies and in the shared checker."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.bounds import out_of_range


@pytest.fixture
def admin_headers(session: Session) -> dict[str, str]:
    return bearer(session, make_user(session, username="bounds-admin"))


class TestBodies:
    def test_json_body_integer_past_64_bits(
        self, app_client: TestClient, admin_headers: dict[str, str]
    ) -> None:
        """An integer deep inside a JSON body is bounded like a query parameter."""
        resp = app_client.post(
            "/api/v1/users",
            json={"username": "x", "password": "p", "role": "admin", "extra": {"n": [10**20]}},
            headers=admin_headers,
        )
        assert resp.status_code == 422
        assert "数值超出允许范围" in resp.json()["details"]["body.extra.n.0"]

    def test_registry_fact_value_past_64_bits(
        self, app_client: TestClient, session: Session, admin_headers: dict[str, str]
    ) -> None:
        """A money fact of 10²⁰ fen is refused before it reaches the database."""

        org = make_org(session)
        resp = app_client.post(
            f"/api/v1/registry/orgs/{org.uscc}/facts",
            json={"kind": "revenue", "year": 2024, "value": 10**20, "source": "测试"},
            headers=admin_headers,
        )
        assert resp.status_code == 422, resp.text
        assert "数值超出允许范围" in resp.json()["details"]["body.value"]


class TestWalker:
    def test_nested_values_and_booleans(self) -> None:
        """Models, lists and dicts are walked; booleans and in-range values pass."""

        assert out_of_range({"a": [1, True, 2**53 - 1], "year": 2024}) == []
        problems = out_of_range({"a": [2**53], "year": 1800, "x": float("inf")}, ("body",))
        assert [p["loc"] for p in problems] == [("body", "a", 0), ("body", "year"), ("body", "x")]
