"""揭榜挂帅 pages through HTTP: publish and edit forms, the desk, the change log, shortlisting
that reveals an anonymous seeker, and the XLSX export of the board."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.orm import Session
from tests.factories import bearer, csrf_from, login, make_org, make_user

from longcheng.core.actors import Role
from longcheng.core.clock import local_today, utcnow
from longcheng.matching.challenges.models import Challenge

BASE = "/api/v1/matching/challenges"


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "石墨烯导热涂料团聚难题",
        "field": "新材料/石墨烯",
        "summary": "石墨烯加入涂料后团聚，漆膜导热不均。",
        "details": "配方：环氧树脂体系，现用分散剂为BYK系列。",
        "trl_current": "4",
        "trl_target": "7",
        "budget": "200万元",
        "deadline": f"{local_today() + timedelta(days=30)}T17:00:00",
        "ip_terms": "seeker",
        "anonymous": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def people(session: Session) -> dict[str, Any]:
    seeker_org, institute, firm = (make_org(session) for _ in range(3))
    users = {
        "seeker": make_user(
            session,
            username="pseeker",
            role=Role.enterprise,
            org_uscc=seeker_org.uscc,
            display_name="石墨烯公司",
        ),
        "solver": make_user(
            session,
            username="psolver",
            role=Role.enterprise,
            org_uscc=institute.uscc,
            display_name="材料研究院",
        ),
        "other": make_user(session, username="pother", role=Role.enterprise, org_uscc=firm.uscc),
        "officer": make_user(session, username="pofficer", role=Role.officer),
    }
    headers = {name: bearer(session, user) for name, user in users.items()}
    session.commit()
    return headers


def _publish_by_form(client: TestClient, **overrides: str) -> str:
    token = csrf_from(client.get("/matching/challenges/new").text)
    resp = client.post(
        "/matching/challenges/new", data=_form(**overrides) | {"csrf_token": token}, follow_redirects=False
    )
    assert resp.status_code == 303, resp.text
    return resp.headers["location"].rsplit("/", 1)[-1]


def test_a_firm_publishes_on_the_form_and_finds_it_on_its_desk(
    app_client: TestClient, people: dict[str, Any]
) -> None:
    """The form publishes; the desk lists the challenge with its proposal count and an edit link."""
    login(app_client, "pseeker")
    code = _publish_by_form(app_client)
    assert app_client.get(f"{BASE}/{code}", headers=people["solver"]).json()["seeker"] == "匿名发榜方"
    desk = app_client.get("/matching/challenges/mine")
    assert desk.status_code == 200
    assert "石墨烯导热涂料团聚难题" in desk.text
    assert f"/matching/challenges/{code}/edit" in desk.text
    assert "0 份" in desk.text


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"deadline": f"{local_today() - timedelta(days=2)}T09:00:00"}, "截止时间不能早于当前时间"),
        ({"trl_current": "6", "trl_target": "3"}, "不能低于当前技术成熟度"),
        ({"budget": "很多钱"}, "无法识别的金额"),
    ],
)
def test_a_bad_form_is_shown_again_as_typed_with_the_reason(
    app_client: TestClient, people: dict[str, Any], overrides: dict[str, str], words: str
) -> None:
    """A past deadline, a TRL target below the current one or a bad amount: the form again, nothing saved."""
    login(app_client, "pseeker")
    token = csrf_from(app_client.get("/matching/challenges/new").text)
    resp = app_client.post("/matching/challenges/new", data=_form(**overrides) | {"csrf_token": token})
    assert resp.status_code == 422
    assert words in resp.text
    assert "石墨烯导热涂料团聚难题" in resp.text  # kept as typed
    assert app_client.get(BASE).json()["total"] == 0


def test_editing_after_publication_is_logged_and_shown_and_a_new_agreement_needs_accepting(
    app_client: TestClient, people: dict[str, Any], session: Session
) -> None:
    """The seeker raises the 榜额 and rewrites the details and agreement: the public change log
    shows the amount in 万元 and only that the details changed; the solver must accept again."""
    h = people
    login(app_client, "pseeker")
    code = _publish_by_form(app_client)
    assert (
        app_client.post(f"{BASE}/{code}/agreement", headers=h["solver"], json={"version": 1}).status_code
        == 201
    )
    form = app_client.get(f"/matching/challenges/{code}/edit")
    assert form.status_code == 200
    assert "200万元" in form.text
    changed = _form(budget="300万元", details="新配方：聚氨酯体系。", agreement_text="新版保密协议。")
    resp = app_client.post(
        f"/matching/challenges/{code}/edit",
        data=changed | {"csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text
    page = app_client.get(f"/matching/challenges/{code}").text
    assert "修改榜单" in page
    assert "200.00 万元 → 300.00 万元" in page
    assert "已修改（保密内容不在记录中显示）" in page
    assert "聚氨酯" not in page.split("变更记录")[1]
    assert app_client.get(f"{BASE}/{code}/details", headers=h["solver"]).status_code == 403
    assert app_client.get(f"{BASE}/{code}", headers=h["solver"]).json()["agreement_version"] == 2
    notes = app_client.get("/api/v1/notifications", headers=h["solver"]).json()["items"]
    assert any("榜单已变更" in n["title"] for n in notes)

    other = app_client.put(
        f"{BASE}/{code}", headers=h["other"], json={**changed, "deadline": changed["deadline"]}
    )
    assert other.status_code == 403
    session.execute(
        update(Challenge).where(Challenge.code == code).values(deadline=utcnow() - timedelta(hours=1))
    )
    session.commit()
    late = app_client.put(f"{BASE}/{code}", headers=h["seeker"], json=changed)
    assert late.status_code == 409
    assert late.json()["code"] == "matching.challenge_locked"
    assert app_client.get(f"/matching/challenges/{code}/edit").status_code == 403


def _propose(client: TestClient, headers: dict[str, str], code: str, title: str) -> int:
    client.post(f"{BASE}/{code}/agreement", headers=headers, json={"version": 1})
    body = {"title": title, "approach": "分散剂加高剪切处理，三个月稳定不沉降。"}
    resp = client.post(f"{BASE}/{code}/proposals", headers=headers, json=body)
    assert resp.status_code == 201, resp.text
    return int(resp.json()["id"])


def test_shortlisting_reveals_the_anonymous_seeker_and_selection_comes_from_the_shortlist(
    app_client: TestClient, people: dict[str, Any]
) -> None:
    """Before shortlisting the solver sees 匿名发榜方; once shortlisted, the seeker's name and a
    message; the seeker selects on the page; the other solver sees its feedback there."""
    h = people
    login(app_client, "pseeker")
    code = _publish_by_form(app_client)
    mine = _propose(app_client, h["solver"], code, "研究院方案")
    theirs = _propose(app_client, h["other"], code, "企业方案")
    assert app_client.get(f"{BASE}/{code}", headers=h["solver"]).json()["seeker"] == "匿名发榜方"
    page = app_client.get(f"/matching/challenges/{code}")
    assert "将勾选的方案列为入围" in page.text
    resp = app_client.post(
        f"/matching/challenges/{code}/shortlist",
        data={"proposal_id": str(mine), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    assert app_client.get(f"{BASE}/{code}", headers=h["solver"]).json()["seeker"] == "石墨烯公司"
    assert app_client.get(f"{BASE}/{code}", headers=h["other"]).json()["seeker"] == "匿名发榜方"
    notes = app_client.get("/api/v1/notifications", headers=h["solver"]).json()["items"]
    assert any("入围" in n["title"] and "石墨烯公司" in n["body"] for n in notes)
    again = app_client.post(f"{BASE}/{code}/shortlist", headers=h["seeker"], json={"proposal_ids": [mine]})
    assert again.json()["code"] == "matching.proposal_state"
    page = app_client.get(f"/matching/challenges/{code}")
    assert "已入围" in page.text
    resp = app_client.post(
        f"/matching/challenges/{code}/selection",
        data={"proposal_id": str(mine), "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert resp.status_code == 303
    statuses = {
        p["id"]: p["status_label"]
        for p in app_client.get(f"{BASE}/{code}/proposals", headers=h["seeker"]).json()
    }
    assert statuses == {mine: "已揭榜", theirs: "未选中"}
    login(app_client, "pother")
    assert "评审反馈" in app_client.get(f"/matching/challenges/{code}").text


def test_the_board_exports_what_is_filtered_formula_safe(
    app_client: TestClient, people: dict[str, Any]
) -> None:
    """The export holds the filtered rows in stable columns; a title starting with = stays text."""
    login(app_client, "pofficer")
    _publish_by_form(app_client, title='=HYPERLINK("http://x")储能', field="新能源", seeker_name="某储能公司")
    _publish_by_form(app_client, title="锂电低温电解液", field="新能源/锂电", seeker_name="某电池公司")
    mine = app_client.get("/matching/challenges/export.xlsx?mine=1")
    assert len(list(load_workbook(BytesIO(mine.content)).active.iter_rows())) == 3
    app_client.cookies.clear()
    resp = app_client.get("/matching/challenges/export.xlsx?q=储能")
    assert resp.status_code == 200
    sheet = load_workbook(BytesIO(resp.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "榜单名称", "技术领域", "发榜方", "榜额（元）")
    assert len(rows) == 2
    assert rows[1][1] == '=HYPERLINK("http://x")储能'
    assert sheet.cell(row=2, column=2).data_type == "s"
    assert rows[1][3] == "匿名发榜方"  # the public export never names an anonymous seeker
