"""Cooperation programme pages: partner region, the projects that joined in their form, roll-up."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import login, make_user

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.core.validation import validate
from longcheng.projects import service as projects_service
from longcheng.projects.schemas import ProjectCreate


def test_programme_page_rolls_up_its_projects(app_client: TestClient, session: Session) -> None:
    """Projects whose 合作机制 is 南北结对 appear with their stage; totals by stage are in 万元."""
    make_user(session, username="coofficer", role=Role.officer)
    signed = (local_today() - timedelta(days=30)).isoformat()
    for name, total in (("阜宁飞地智能装备项目", "30000"), ("阜宁飞地新材料项目", "12000")):
        data = {
            "name": name,
            "district": "wujin",
            "total_investment": total,
            "cooperation": "north_south",
            "partner_region": "阜宁县",
            "stage": "签约",
            "signed_on": signed,
        }
        projects_service.create(
            session, actor=SYSTEM, data=validate(ProjectCreate, data, code="projects.invalid")
        )
    other = {"name": "无关项目", "district": "wujin", "total_investment": "5000"}
    projects_service.create(
        session, actor=SYSTEM, data=validate(ProjectCreate, other, code="projects.invalid")
    )
    session.commit()
    login(app_client, "coofficer")
    listing = app_client.get("/cooperation")
    assert listing.status_code == 200
    assert "南北结对帮扶合作 · 阜宁" in listing.text
    page = app_client.get("/cooperation/north_south")
    assert page.status_code == 200
    assert "盐城市阜宁县" in page.text
    assert "阜宁飞地智能装备项目" in page.text
    assert "无关项目" not in page.text
    assert "42000.00 万元" in page.text
    assert app_client.get("/cooperation/atlantis").status_code == 404


def test_programme_pages_need_a_login(app_client: TestClient) -> None:
    assert app_client.get("/cooperation/north_south", follow_redirects=False).status_code == 303
