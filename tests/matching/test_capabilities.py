"""Capabilities through HTTP: XLSX import all-or-nothing, and matching both ways with reasons."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import local_today

BASE = "/api/v1/matching"
HEADER = [
    "成果名称",
    "类型",
    "技术领域",
    "技术成熟度",
    "关键词",
    "简介",
    "联系人",
    "单位统一社会信用代码",
    "单位名称",
]


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def ctx(session: Session) -> dict[str, Any]:
    institute = make_org(session, name="常州测试环境科学研究院")
    seeker = make_org(session, name="常州测试石化仓储有限公司")
    officer = make_user(session, username="kofficer", role=Role.officer)
    firm = make_user(session, username="kseeker", role=Role.enterprise, org_uscc=seeker.uscc)
    out = {"officer": bearer(session, officer), "seeker": bearer(session, firm), "uscc": institute.uscc}
    session.commit()
    return out


def _upload(client: TestClient, headers: dict[str, str], content: bytes) -> Any:
    files = {
        "file": ("caps.xlsx", content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
    return client.post(f"{BASE}/capabilities/import", headers=headers, files=files)


def test_import_with_a_duplicate_title_writes_nothing(app_client: TestClient, ctx: dict[str, Any]) -> None:
    """Two rows with one organisation's same title, and a bad TRL: every error by row, nothing saved."""
    uscc = ctx["uscc"]
    rows = [
        ["储罐油气回收装置", "专利", "节能环保", 7, "油气回收", "冷凝加吸附", "王工", uscc, "环境科学研究院"],
        ["储罐油气回收装置", "专利", "节能环保", 6, "", "", "", uscc, "环境科学研究院"],
        ["石墨烯分散工艺", "科技成果", "新材料", 12, "", "", "", uscc, "环境科学研究院"],
    ]
    resp = _upload(app_client, ctx["officer"], _xlsx(rows))
    assert resp.status_code == 422
    body = resp.json()
    assert body["code"] == "matching.capability_import_invalid"
    assert "第3行" in body["details"]
    assert "重复" in body["details"]["第3行"]
    assert "第4行" in body["details"]
    assert app_client.get(f"{BASE}/capabilities").json()["total"] == 0


def test_matching_both_ways_explains_why(app_client: TestClient, ctx: dict[str, Any]) -> None:
    """A VOC challenge finds the oil-vapour patent (and the patent finds the challenge) with reasons."""
    uscc = ctx["uscc"]
    rows = [
        [
            "冷凝加吸附组合式油气回收装置",
            "专利",
            "节能环保",
            7,
            "油气回收 储罐",
            "回收储罐呼吸排放的汽油蒸气",
            "王工",
            uscc,
            "研究院",
        ],
        ["锂电池低温电解液", "科技成果", "新能源", 5, "电解液", "零下三十度放电", "", uscc, "研究院"],
    ]
    assert _upload(app_client, ctx["officer"], _xlsx(rows)).json() == {"created": 2}
    body = {
        "title": "油库储罐VOC治理",
        "field": "节能环保",
        "summary": "储罐挥发性有机物排放超标",
        "trl_current": 5,
        "trl_target": 8,
        "budget": "100万元",
        "deadline": (local_today() + timedelta(days=10)).isoformat(),
    }
    code = app_client.post(f"{BASE}/challenges", headers=ctx["seeker"], json=body).json()["code"]
    matches = app_client.get(f"{BASE}/challenges/{code}/matches", headers=ctx["seeker"]).json()
    assert matches[0]["title"].startswith("冷凝加吸附组合式油气回收装置")
    assert any("VOC治理" in w for w in matches[0]["why"])
    assert any("高于需求现状 5 级" in w for w in matches[0]["why"])
    seeker_page = app_client.get(f"/matching/challenges/{code}", headers=ctx["seeker"]).text
    assert "推荐成果" in seeker_page
    assert "推荐成果" not in app_client.get(f"/matching/challenges/{code}").text
    capability = app_client.get(f"{BASE}/capabilities", params={"q": "油气"}).json()["items"][0]["code"]
    page = app_client.get(f"/matching/capabilities/{capability}")
    assert page.status_code == 200
    assert "油库储罐VOC治理" in page.text
