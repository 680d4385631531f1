"""一企一档: the organisation page shows the sections other modules keep about the firm, each as
that module lets the viewer see it; 政策一键查 finds a firm by name.

Firms, projects and articles here are invented for the tests.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_org, make_user
from tests.intel.service.stories import OFFICER, TWO_STORIES, store

from longcheng.core import hooks
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.validation import validate
from longcheng.intel.service import links
from longcheng.projects import service as project_service
from longcheng.projects.schemas import ProjectCreate

FIRM = "常州星河光伏科技有限公司"  # named in TWO_STORIES


def _project(session: Session, uscc: str, name: str, district: str) -> None:
    data = {"name": name, "district": district, "total_investment": "185000", "investors": [{"uscc": uscc}]}
    project_service.create(session, actor=SYSTEM, data=validate(ProjectCreate, data, code="projects.invalid"))


def _firm_with_a_file(session: Session, tmp_path: Path) -> str:
    """A 新北区 firm with a project in 新北区, one in 武进区 and a signing in the news."""
    org = make_org(session, name=FIRM, district="xinbei")
    _project(session, org.uscc, "星河高效光伏组件项目", "xinbei")
    _project(session, org.uscc, "星河储能电站项目", "wujin")
    store(session, tmp_path, TWO_STORIES)
    links.relink(session, actor=OFFICER, directory=links.load_directory(session, actor=SYSTEM))
    return org.uscc


def test_the_three_modules_register_their_sections() -> None:
    """``modules.wire`` (run for every test session) subscribes projects, policy and intel."""
    assert [name for name, _ in sorted(hooks._profile_providers.items(), key=lambda i: i[1][0])] == [
        "projects",
        "policy",
        "intel",
    ]


def test_the_page_shows_projects_policy_and_news(
    app_client: TestClient, session: Session, tmp_path: Path
) -> None:
    """An administrator sees every project of the firm, its 政策一键查 result and its news facts."""
    uscc = _firm_with_a_file(session, tmp_path)
    make_user(session, username="boss", role=Role.admin)
    session.commit()
    login(app_client, "boss")
    html = app_client.get(f"/registry/{uscc}").text
    for text in ("重大项目", "星河高效光伏组件项目", "星河储能电站项目", "18.5亿元", "政策兑现", "新闻动态"):
        assert text in html, text
    assert f"/policy/orgs/{uscc}" in html
    assert "签约总投资18.5亿元" in html


def test_each_section_keeps_its_modules_permissions(
    app_client: TestClient, session: Session, tmp_path: Path
) -> None:
    """A 新北区 officer does not see the firm's 武进区 project; the firm's own user sees its file."""
    uscc = _firm_with_a_file(session, tmp_path)
    make_user(session, username="xbofficer", role=Role.officer, district="xinbei")
    make_user(session, username="ownfirm", role=Role.enterprise, org_uscc=uscc)
    session.commit()
    login(app_client, "xbofficer")
    html = app_client.get(f"/registry/{uscc}").text
    assert "星河高效光伏组件项目" in html
    assert "星河储能电站项目" not in html
    app_client.cookies.clear()
    login(app_client, "ownfirm")
    own = app_client.get(f"/registry/{uscc}").text
    assert "星河储能电站项目" in own
    assert "签约总投资18.5亿元" in own


def test_policy_lookup_finds_a_firm_by_name(app_client: TestClient, session: Session) -> None:
    """One match opens the firm's 一键查; several are listed to choose from; the API lists them."""
    one = make_org(session, name="常州滆湖量子传感科技有限公司")
    make_org(session, name="常州芙蓉药业有限公司")
    make_org(session, name="江苏芙蓉医疗器械有限公司")
    headers = bearer(session, make_user(session, username="pol", role=Role.officer))
    session.commit()
    login(app_client, "pol")
    resp = app_client.get("/policy/orgs", params={"q": "滆湖量子"}, follow_redirects=False)
    assert resp.status_code == 303
    assert resp.headers["location"] == f"/policy/orgs/{one.uscc}"
    listed = app_client.get("/policy/orgs", params={"q": "芙蓉"}).text
    assert "常州芙蓉药业有限公司" in listed
    assert "江苏芙蓉医疗器械有限公司" in listed
    assert "没有与" in app_client.get("/policy/orgs", params={"q": "不存在的公司"}).text
    items = app_client.get("/api/v1/policy/orgs", params={"q": "芙蓉"}, headers=headers).json()["items"]
    assert sorted(i["name"] for i in items) == ["常州芙蓉药业有限公司", "江苏芙蓉医疗器械有限公司"]
