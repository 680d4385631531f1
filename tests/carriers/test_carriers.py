"""Carriers through HTTP: the public portal, each kind's figures, leads matched and converted."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.actors import Role

BASE = "/api/v1/carriers"
FACTORY = {
    "name": "武进高新区智能装备标准厂房A栋",
    "kind": "标准厂房",
    "district": "武进区",
    "park": "武进高新区",
    "industries": "智能制造、新能源汽车零部件",
    "total_area_m2": 12000,
    "available_area_m2": 8000,
    "rent_yuan": "18",
    "power_kva": 2000,
    "floor_load_kn_m2": "30",
    "clear_height_m": "9",
}
LAND = {
    "name": "西太湖工业地块 WJ-2026-07",
    "kind": "地块",
    "district": "wujin",
    "land_mu": "60",
    "land_use": "工业",
    "plot_ratio": "1.5",
    "price_wan": "3600",
    "power_kva": 5000,
}


@pytest.fixture
def officer(session: Session) -> dict[str, str]:
    user = make_user(
        session, username="cofficer", role=Role.officer, district="wujin", display_name="招商专员"
    )
    headers = bearer(session, user)
    session.commit()
    return headers


def _create(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    resp = client.post(BASE, headers=headers, json=body)
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()
    return data


def test_public_portal_searches_without_login(
    app_client: TestClient, session: Session, officer: dict[str, str]
) -> None:
    """Anyone filters by kind, area, rent and power; the carrier page shows the park's firms."""
    make_org(session, name="常州测试智能装备有限公司", district="wujin", park="wj_hitech")
    session.commit()
    factory = _create(app_client, officer, FACTORY)
    land = _create(app_client, officer, LAND)
    assert land["total_area_m2"] == 40000  # 60 亩
    assert factory["rent_yuan_per_m2_month"] == "18.00"
    found = app_client.get(BASE, params={"kind": "factory", "min_area": 5000, "max_rent": 20}).json()
    assert [c["code"] for c in found["items"]] == [factory["code"]]
    assert app_client.get(BASE, params={"min_power": 3000}).json()["items"][0]["code"] == land["code"]
    assert app_client.get(BASE, params={"q": "新能源汽车"}).json()["total"] == 1
    page = app_client.get("/carriers", params={"kind": "land"})
    assert page.status_code == 200
    assert "西太湖工业地块" in page.text
    assert "3600.00 万元" in page.text
    detail = app_client.get(f"/carriers/{factory['code']}")
    assert "常州测试智能装备有限公司" in detail.text
    assert "登记" in detail.text


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"land_mu": "-5"}, "carriers.area_negative"),
        ({"plot_ratio": "50"}, "carriers.plot_ratio_out_of_range"),
        ({"land_use": None}, "carriers.land_incomplete"),
        ({"district": "火星区"}, "carriers.invalid"),
    ],
)
def test_bad_land_parcels_are_refused(
    app_client: TestClient, officer: dict[str, str], overrides: dict[str, Any], code: str
) -> None:
    """Negative area, a 容积率 of 50, a parcel without use, an unknown district: 422 and nothing saved."""
    resp = app_client.post(BASE, headers=officer, json=LAND | overrides)
    assert resp.status_code == 422
    assert resp.json()["code"] == code
    assert app_client.get(BASE).json()["total"] == 0


def test_anonymous_users_cannot_register_carriers(app_client: TestClient) -> None:
    """Without a login (or a token) nothing is registered."""
    assert app_client.post(BASE, json=FACTORY).status_code in (401, 403)
    assert app_client.get(BASE).json()["total"] == 0


def test_lead_matches_then_converts_once_and_moves_in(
    app_client: TestClient, officer: dict[str, str]
) -> None:
    """Hard constraints first (area, kind, power), then fit; one conversion makes a project and
    takes the area; a second conversion is refused."""
    factory = _create(app_client, officer, FACTORY)
    _create(
        app_client, officer, FACTORY | {"name": "小厂房", "total_area_m2": 3000, "available_area_m2": 3000}
    )
    _create(app_client, officer, LAND)
    lead = app_client.post(
        f"{BASE}/leads",
        headers=officer,
        json={
            "investor": "某新能源汽车零部件公司",
            "industry": "新能源汽车零部件",
            "district": "武进区",
            "need_kind": "building",
            "need_area_m2": 5000,
            "need_power_kva": 1000,
            "budget_wan": "200",
            "jobs": 300,
        },
    ).json()
    matches = app_client.get(f"{BASE}/leads/{lead['code']}/matches", headers=officer).json()
    assert [m["carrier"] for m in matches] == [factory["code"]]
    assert any("主导产业相符" in reason for reason in matches[0]["why"])
    converted = app_client.post(
        f"{BASE}/leads/{lead['code']}/convert", headers=officer, json={"carrier": factory["code"]}
    )
    assert converted.status_code == 201, converted.text
    project_code = converted.json()["project_code"]
    assert app_client.get(f"/api/v1/projects/{project_code}", headers=officer).status_code == 200
    assert app_client.get(f"{BASE}/{factory['code']}").json()["available_area_m2"] == 3000
    again = app_client.post(f"{BASE}/leads/{lead['code']}/convert", headers=officer, json={})
    assert again.status_code == 409
    assert again.json()["code"] == "carriers.lead_already_converted"
