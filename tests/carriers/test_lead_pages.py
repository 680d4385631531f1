"""Officers' pages of investor leads through HTTP: list with search, filters and XLSX export; the
form refuses bad input in Chinese; the lead's page ranks carriers with reasons, converts once
(twice is a clear error) and shows the change log."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.carriers.test_carriers import BASE, FACTORY, LAND
from tests.factories import bearer, login, make_user, new_uscc

from longcheng.core.actors import Role

LEAD = {
    "investor": "某新能源汽车零部件公司",
    "industry": "新能源汽车零部件",
    "district": "wujin",
    "need_kind": "building",
    "need_area_m2": "5000",
    "need_power_kva": "1000",
    "budget_wan": "200",
    "jobs": "300",
    "lat": "31.70",
    "lon": "119.95",
}


@pytest.fixture
def staff(session: Session) -> dict[str, dict[str, str]]:
    """An officer who owns leads (token), another officer, an auditor and a firm."""
    out = {}
    for name, role in (("lofficer", Role.officer), ("lother", Role.officer), ("laudit", Role.auditor)):
        out[name] = bearer(session, make_user(session, username=name, role=role, display_name=f"{name}专员"))
    make_user(session, username="lfirm", role=Role.enterprise, org_uscc=new_uscc())
    session.commit()
    return out


def _carrier(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> str:
    resp = client.post(BASE, headers=headers, json=body)
    assert resp.status_code == 201, resp.text
    code: str = resp.json()["code"]
    return code


def _new_lead(client: TestClient, token: str, **changes: str) -> str:
    resp = client.post(
        "/carriers/leads/new", data={"csrf_token": token, **LEAD, **changes}, follow_redirects=False
    )
    assert resp.status_code == 303, resp.text
    return str(resp.headers["location"])


def test_lead_form_refuses_bad_input_and_writes_nothing(
    app_client: TestClient, staff: dict[str, dict[str, str]]
) -> None:
    """A negative area, an unknown district or a half coordinate: 422, the reasons in Chinese."""
    token = login(app_client, "lofficer")
    bad = app_client.post(
        "/carriers/leads/new",
        data={"csrf_token": token, **LEAD, "need_area_m2": "-10", "district": "火星区", "lon": ""},
    )
    assert bad.status_code == 422
    assert "常州市的区" in bad.text
    assert "需求面积" in bad.text
    assert 'value="某新能源汽车零部件公司"' in bad.text  # shown again as typed
    half = app_client.post("/carriers/leads/new", data={"csrf_token": token, **LEAD, "lon": ""})
    assert half.status_code == 422
    assert "经纬度须同时填写" in half.text
    assert "共 0 条" in app_client.get("/carriers/leads").text


def test_list_filters_searches_and_exports(app_client: TestClient, staff: dict[str, dict[str, str]]) -> None:
    """Officers search and filter leads; the export holds exactly the filtered rows."""
    token = login(app_client, "lofficer")
    _new_lead(app_client, token)
    _new_lead(
        app_client,
        token,
        investor="某储能电池集成商",
        industry="储能",
        need_kind="land",
        need_area_m2="40000",
    )
    page = app_client.get("/carriers/leads", params={"q": "储能"})
    assert page.status_code == 200
    assert "某储能电池集成商" in page.text
    assert "某新能源汽车零部件公司" not in page.text
    assert (
        "某新能源汽车零部件公司" in app_client.get("/carriers/leads", params={"need_kind": "building"}).text
    )
    assert "共 2 条" in app_client.get("/carriers/leads", params={"mine": "1"}).text
    resp = app_client.get("/carriers/leads/export.xlsx", params={"need_kind": "land"})
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("线索编号", "投资方", "行业")
    assert [r[1] for r in rows[1:]] == ["某储能电池集成商"]
    assert rows[1][4] == "土地"


def test_detail_ranks_carriers_with_reasons_and_converts_once(
    app_client: TestClient, staff: dict[str, dict[str, str]]
) -> None:
    """Hard constraints then fit with reasons (industry, price, distance); one conversion makes a
    project and takes the area; the second is refused with a clear message; history shows both."""
    officer = staff["lofficer"]
    factory = _carrier(app_client, officer, FACTORY | {"lat": "31.71", "lon": "119.96"})
    _carrier(
        app_client, officer, FACTORY | {"name": "小厂房", "total_area_m2": 3000, "available_area_m2": 3000}
    )
    _carrier(app_client, officer, LAND)
    token = login(app_client, "lofficer")
    where = _new_lead(app_client, token)
    code = where.rsplit("/", 1)[-1]
    detail = app_client.get(where)
    assert detail.status_code == 200
    assert "武进高新区智能装备标准厂房A栋" in detail.text
    assert "小厂房" not in detail.text  # too small: a hard constraint
    assert "西太湖工业地块" not in detail.text  # land, the lead needs a building
    assert "园区主导产业相符：新能源汽车零部件" in detail.text
    assert "价格在预算内：年租金约 108.00 万元" in detail.text  # 18 元 × 5000 m² × 12 months
    assert "距意向位置约 1.5 公里" in detail.text
    converted = app_client.post(
        f"{where}/convert", data={"csrf_token": token, "carrier": factory}, follow_redirects=False
    )
    assert converted.status_code == 303
    page = app_client.get(converted.headers["location"])
    assert "已转为项目" in page.text
    assert "线索转为项目" in page.text  # the change log, in Chinese
    assert "登记招商线索" in page.text
    assert app_client.get(f"{BASE}/{factory}").json()["available_area_m2"] == 3000
    again = app_client.post(f"{where}/convert", data={"csrf_token": token, "carrier": ""})
    assert again.status_code == 409
    assert "不能重复转化" in again.text
    assert app_client.get(f"/carriers/leads/{code}/edit").status_code == 200
    locked = app_client.post(f"/carriers/leads/{code}/edit", data={"csrf_token": token, **LEAD})
    assert locked.status_code == 409


def test_edit_is_logged_and_only_the_owner_may_change(
    app_client: TestClient, staff: dict[str, dict[str, str]]
) -> None:
    """The owner changes the area and the log says so; another officer may read but not change."""
    token = login(app_client, "lofficer")
    where = _new_lead(app_client, token)
    code = where.rsplit("/", 1)[-1]
    form = app_client.get(f"{where}/edit")
    assert 'value="5000"' in form.text
    saved = app_client.post(
        f"{where}/edit", data={"csrf_token": token, **LEAD, "need_area_m2": "6000"}, follow_redirects=False
    )
    assert saved.status_code == 303
    page = app_client.get(where)
    assert "修改招商线索" in page.text
    assert "5000 → 6000" in page.text
    other = app_client.post(f"{BASE}/leads/{code}/convert", headers=staff["lother"], json={})
    assert other.status_code == 403
    token = login(app_client, "lother")
    assert "修改</a>" not in app_client.get(where).text
    refused = app_client.post(f"{where}/edit", data={"csrf_token": token, **LEAD})
    assert refused.status_code == 403


def test_auditors_read_and_firms_are_kept_out(
    app_client: TestClient, staff: dict[str, dict[str, str]]
) -> None:
    """An auditor reads and exports leads but is offered no form; a firm sees nothing."""
    _new_lead(app_client, login(app_client, "lofficer"))
    login(app_client, "laudit")
    page = app_client.get("/carriers/leads")
    assert page.status_code == 200
    assert "登记线索" not in page.text
    assert app_client.get("/carriers/leads/export.xlsx").status_code == 200
    assert app_client.get("/carriers/leads/new").status_code == 403
    login(app_client, "lfirm")
    assert app_client.get("/carriers/leads").status_code == 403
    assert app_client.get("/carriers/leads/export.xlsx").status_code == 403
