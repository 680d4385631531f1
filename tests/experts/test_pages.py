"""The expert pool through HTTP: list, search, create with Chinese errors, export, import, API."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from tests.experts.conftest import MakeExpert
from tests.factories import bearer, login, make_user, new_uscc

from longcheng.core.actors import Actor, Role


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_list_search_filter_and_export(
    app_client: TestClient, staff: dict[str, Actor], make_expert: MakeExpert
) -> None:
    """Officers search by name and filter by field (synonyms too); the export has stable columns."""
    make_expert(name="王芯片", fields=["ic"], employer_name="常州微电子")
    make_expert(name="李算法", fields=["ai"])
    login(app_client, "eofficer")
    page = app_client.get("/experts", params={"field": "芯片"})
    assert page.status_code == 200
    assert "王芯片" in page.text
    assert "李算法" not in page.text
    assert "李算法" in app_client.get("/experts", params={"q": "李"}).text
    resp = app_client.get("/experts/export.xlsx", params={"field": "ic"})
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("专家编号", "姓名", "职称")
    assert rows[1][1] == "王芯片"
    assert len(rows) == 2


def test_create_form_refuses_in_chinese(app_client: TestClient, staff: dict[str, Actor]) -> None:
    token = login(app_client, "eadmin")
    resp = app_client.post(
        "/experts/new", data={"csrf_token": token, "name": "张三", "employer_uscc": "123", "fields": "占星术"}
    )
    assert resp.status_code == 422
    assert "统一社会信用代码" in resp.text
    assert "未知的评审领域" in resp.text
    ok = app_client.post(
        "/experts/new",
        data={
            "csrf_token": token,
            "name": "张三",
            "fields": ["ai", "ic"],
            "former_text": f"{new_uscc()}@2024-03-01",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    detail = app_client.get(ok.headers["location"])
    assert "张三" in detail.text
    assert "集成电路" in detail.text
    assert "2024-03-01" in detail.text


def test_enterprise_cannot_see_the_pool(app_client: TestClient, staff: dict[str, Actor]) -> None:
    login(app_client, "efirm")
    assert app_client.get("/experts").status_code == 403


def test_import_is_all_or_nothing(app_client: TestClient, session: Session, staff: dict[str, Actor]) -> None:
    """A file with one bad row writes nothing and names the line; a good file creates every row."""
    user = make_user(session, username="eapi", role=Role.admin)
    headers = bearer(session, user)
    head = ["姓名", "职称", "任职单位", "任职单位信用代码", "评审领域", "电话", "邮箱", "状态", "曾任职单位"]
    bad = _xlsx(
        [
            head,
            ["赵一", "", "", "", "芯片、AI", "", "", "", ""],
            ["钱二", "", "", "", "占星术", "", "", "", ""],
        ]
    )
    resp = app_client.post("/api/v1/experts/import", files={"file": ("e.xlsx", bad)}, headers=headers)
    assert resp.status_code == 422
    assert resp.json()["code"] == "experts.import_rows"
    assert resp.json()["errors"][0]["line"] == 3
    assert app_client.get("/api/v1/experts", params={"q": "赵一"}, headers=headers).json()["total"] == 0
    good = _xlsx([head, ["赵一", "", "", "", "芯片、AI", "", "", "暂不可用", f"{new_uscc()}@2025-01-01"]])
    resp = app_client.post("/api/v1/experts/import", files={"file": ("e.xlsx", good)}, headers=headers)
    assert resp.status_code == 200
    assert resp.json()["created"] == 1
    item = app_client.get("/api/v1/experts", params={"q": "赵一"}, headers=headers).json()["items"][0]
    assert item["fields"] == ["ic", "ai"]
    assert item["status"] == "away"
