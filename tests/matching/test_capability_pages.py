"""Capability pages through HTTP: the filtered list and its export, the create and edit forms
with their change log, and the import page listing every refused row."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, csrf_from, login, make_org, make_user

from longcheng.core.actors import Role
from longcheng.matching.importer import HEADERS

BASE = "/api/v1/matching/capabilities"


@pytest.fixture
def ctx(session: Session) -> dict[str, Any]:
    institute, other = make_org(session), make_org(session)
    make_user(session, username="cofficer", role=Role.officer)
    owner = make_user(session, username="cowner", role=Role.enterprise, org_uscc=institute.uscc)
    stranger = make_user(session, username="cstranger", role=Role.enterprise, org_uscc=other.uscc)
    out = {"uscc": institute.uscc, "owner": bearer(session, owner), "stranger": bearer(session, stranger)}
    session.commit()
    return out


def _cap(uscc: str, title: str, **extra: Any) -> dict[str, Any]:
    return {"title": title, "kind": "专利", "org_uscc": uscc, "org_name": "某研究院"} | extra


def test_the_list_filters_pages_and_exports_formula_safe(app_client: TestClient, ctx: dict[str, Any]) -> None:
    """Kind, field and lowest TRL narrow the list; the export holds exactly those rows, as text."""
    uscc = ctx["uscc"]
    for body in (
        _cap(uscc, "=CMD()|油气回收装置", field="节能环保", trl=7),
        _cap(uscc, "石墨烯分散工艺", kind="科技成果", field="新材料/石墨烯", trl=4),
        _cap(uscc, "高精度三坐标测量仪", kind="仪器设备", field="智能制造", trl=9),
    ):
        assert app_client.post(BASE, headers=ctx["owner"], json=body).status_code == 201
    page = app_client.get("/matching/capabilities?trl_min=7")
    assert "油气回收装置" in page.text
    assert "三坐标" in page.text
    assert "石墨烯分散" not in page.text
    page = app_client.get("/matching/capabilities?kind=patent&trl_min=7")
    assert "共 1 项" in page.text
    assert 'href="/matching/capabilities/export.xlsx?kind=patent&amp;trl_min=7"' in page.text
    resp = app_client.get("/matching/capabilities/export.xlsx?kind=patent&trl_min=7")
    sheet = load_workbook(BytesIO(resp.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "成果名称", "类型", "技术领域", "技术成熟度")
    assert [r[1] for r in rows[1:]] == ["=CMD()|油气回收装置"]
    assert sheet.cell(row=2, column=2).data_type == "s"


def test_a_firm_registers_and_edits_its_own_capability_on_pages(
    app_client: TestClient, ctx: dict[str, Any]
) -> None:
    """The form creates; the edit is saved and shown in the change log in Chinese; a stranger
    cannot edit it; a TRL of 12 is refused with the form shown again."""
    login(app_client, "cowner")
    form = app_client.get("/matching/capabilities/new")
    assert ctx["uscc"] in form.text
    data = {
        "title": "储罐油气回收装置",
        "kind": "patent",
        "field": "节能环保",
        "trl": "6",
        "org_uscc": ctx["uscc"],
        "org_name": "某研究院",
    }
    resp = app_client.post(
        "/matching/capabilities/new", data=data | {"csrf_token": csrf_from(form.text)}, follow_redirects=False
    )
    assert resp.status_code == 303, resp.text
    code = resp.headers["location"].rsplit("/", 1)[-1]
    edit = app_client.get(f"/matching/capabilities/{code}/edit")
    bad = app_client.post(
        f"/matching/capabilities/{code}/edit", data=data | {"trl": "12", "csrf_token": csrf_from(edit.text)}
    )
    assert bad.status_code == 422
    assert "技术成熟度" in bad.text
    resp = app_client.post(
        f"/matching/capabilities/{code}/edit",
        data=data | {"trl": "8", "keywords": "冷凝 吸附", "csrf_token": csrf_from(edit.text)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    page = app_client.get(f"/matching/capabilities/{code}").text
    assert "修改成果" in page
    assert "技术成熟度" in page
    assert "6 → 8" in page.replace("</b>：", "")
    refused = app_client.put(f"{BASE}/{code}", headers=ctx["stranger"], json=_cap(ctx["uscc"], "抢来的成果"))
    assert refused.status_code == 403
    assert app_client.get(f"{BASE}?q=抢来的成果").json()["total"] == 0


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(HEADERS))
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_page_lists_every_bad_row_and_writes_nothing(
    app_client: TestClient, ctx: dict[str, Any]
) -> None:
    """Duplicate titles for one organisation are reported by row on the page; a clean file imports."""
    uscc = ctx["uscc"]
    login(app_client, "cofficer")
    token = csrf_from(app_client.get("/matching/capabilities/import").text)
    dup = [
        ["储罐油气回收装置", "专利", "节能环保", 7, "", "", "", uscc, "某研究院"],
        ["储罐油气回收装置", "专利", "节能环保", 6, "", "", "", uscc, "某研究院"],
    ]
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = app_client.post(
        "/matching/capabilities/import",
        data={"csrf_token": token},
        files={"file": ("c.xlsx", _xlsx(dup), xlsx)},
    )
    assert resp.status_code == 422
    assert "第3行" in resp.text
    assert "重复" in resp.text
    assert "未写入任何数据" in resp.text
    assert app_client.get(BASE).json()["total"] == 0
    resp = app_client.post(
        "/matching/capabilities/import",
        data={"csrf_token": token},
        files={"file": ("c.xlsx", _xlsx(dup[:1]), xlsx)},
    )
    assert resp.status_code == 200
    assert "已导入 1 条成果" in resp.text
    assert app_client.get(BASE).json()["total"] == 1
