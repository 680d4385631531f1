"""Names sort by pinyin, as a printed 名录 does, not by Unicode code point."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, make_org, make_user

from longcheng.core.actors import Role

NAMES = ["北方测序科技有限公司", "重庆测序材料有限公司", "长江测序装备有限公司", "阿尔法测序电子有限公司"]


def test_the_list_sorts_names_by_pinyin_both_ways(app_client: TestClient, session: Session) -> None:
    """阿 (a) < 北 (bei) < 长 (chang) < 重 (chong); code points would give 北 重 长 阿."""
    for name in NAMES:
        make_org(session, name=name)
    user = make_user(session, username="sorter", role=Role.officer)
    session.commit()
    headers = bearer(session, user)
    up = app_client.get("/api/v1/registry/orgs", params={"q": "测序", "sort": "name"}, headers=headers).json()
    assert [o["name"] for o in up["items"]] == [NAMES[3], NAMES[0], NAMES[2], NAMES[1]]
    down = app_client.get(
        "/api/v1/registry/orgs", params={"q": "测序", "sort": "-name"}, headers=headers
    ).json()
    assert [o["name"] for o in down["items"]] == [NAMES[1], NAMES[2], NAMES[0], NAMES[3]]


def test_a_renamed_firm_moves_to_its_new_place(app_client: TestClient, session: Session) -> None:
    org = make_org(session, name="北方测序二号有限公司")
    make_org(session, name="长江测序二号有限公司")
    user = make_user(session, username="renamer", role=Role.admin)
    session.commit()
    headers = bearer(session, user)
    current = app_client.get(f"/api/v1/registry/orgs/{org.uscc}", headers=headers).json()
    body = {k: current[k] for k in ("name", "district", "org_type", "version")} | {
        "name": "重庆测序二号有限公司"
    }
    resp = app_client.put(f"/api/v1/registry/orgs/{org.uscc}", json=body, headers=headers)
    assert resp.status_code == 200, resp.text
    listed = app_client.get("/api/v1/registry/orgs", params={"q": "测序二号"}, headers=headers).json()
    assert [o["name"] for o in listed["items"]] == ["长江测序二号有限公司", "重庆测序二号有限公司"]
