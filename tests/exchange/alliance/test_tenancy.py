"""Tenants: a member overrides only declared keys within bounds; never another institution's data."""

from __future__ import annotations

import pytest
from tests.exchange.conftest import World

BASE = "/api/v1/exchange/alliance"


def test_a_member_overrides_within_bounds_and_its_listings_take_it(world: World) -> None:
    r = world.client.put(
        f"{BASE}/institutions/CZ/overrides",
        json={"key": "disclosure_days", "value": 9, "asset_class": "vehicle"},
        headers=world.operator,
    )
    assert r.status_code == 200, r.text
    assert world.listing(world.published()).rules["disclosure_days"] == 9
    page = world.client.get("/exchange/alliance/rulebook")
    assert "常州产权交易所" in page.text


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"key": "max_steps", "value": 3}, "exchange.alliance.override_not_allowed"),
        ({"key": "preemption", "value": "repeat"}, "exchange.alliance.override_not_allowed"),
        ({"key": "disclosure_days", "value": 60}, "exchange.alliance.override_out_of_bounds"),
        ({"key": "deposit_ratio_pct", "value": 2}, "exchange.alliance.override_out_of_bounds"),
    ],
)
def test_a_member_may_not_override_outside_the_charter(world: World, body: dict, code: str) -> None:
    r = world.client.put(f"{BASE}/institutions/CZ/overrides", json=body, headers=world.operator)
    assert r.status_code == 422
    assert r.json()["code"] == code
    assert world.client.get(f"{BASE}/institutions/CZ/overrides").json() == []


def test_an_operator_never_changes_another_institutions_data(
    world: World, other_operator: dict[str, str]
) -> None:
    writes = [
        ("put", f"{BASE}/institutions/CZ/overrides", {"key": "disclosure_days", "value": 9}),
        ("put", f"{BASE}/institutions/CZ/profile", {"portal_title": "冒名门户"}),
        ("post", "/api/v1/exchange/listings", world.listing_body(institution_code="CZ")),
    ]
    for method, url, body in writes:
        r = getattr(world.client, method)(url, json=body, headers=other_operator)
        assert r.status_code == 403, (url, r.text)
        assert r.json()["code"] == "exchange.other_institution"
    code = world.published()
    for url in (f"/api/v1/exchange/listings/{code}/submit", f"/api/v1/exchange/listings/{code}/approve"):
        r = world.client.post(url, json={}, headers=other_operator)
        assert r.status_code in (403, 409), (url, r.text)
    assert world.client.get(f"{BASE}/institutions/CZ/overrides").json() == []


def test_a_profile_sets_branding_and_settlement_account(world: World) -> None:
    body = {
        "portal_title": "常州产权交易所 e交易",
        "brand_color": "#aa3300",
        "bank_account": "6222000012345678",
    }
    r = world.client.put(f"{BASE}/institutions/CZ/profile", json=body, headers=world.operator)
    assert r.status_code == 200, r.text
    assert r.json()["brand_color"] == "#aa3300"
    bad = world.client.put(
        f"{BASE}/institutions/CZ/profile", json={"brand_color": "red"}, headers=world.operator
    )
    assert bad.status_code == 422
