"""The member pages: operators manage their institution's members; a member's login works its
clients' mandates on its own desk; each role sees only the buttons it may use."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from openpyxl import load_workbook
from tests.exchange.conftest import World
from tests.exchange.members_support import PDF, member_id, member_login, qualified_for_client, uscc_of
from tests.factories import bearer, make_user, new_uscc

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today
from longcheng.core.ids import make_uscc
from longcheng.exchange import service as parties
from longcheng.exchange.schemas import InstitutionIn


def _create(world: World, name: str, uscc: str, status: str = "active") -> int:
    r = world.client.post(
        "/exchange/members/new",
        data={"name": name, "uscc": uscc, "status": status},
        headers=world.operator,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def _other_institution(world: World) -> dict[str, str]:
    uscc = make_uscc(random.Random(7), division="320500")
    parties.create_institution(
        world.session, actor=SYSTEM, data=InstitutionIn(code="SZ", name="苏州产权交易所", uscc=uscc)
    )
    op = make_user(world.session, username="sz_operator", role=Role.operator, org_uscc=uscc)
    headers = bearer(world.session, op)
    world.session.commit()
    return headers


def test_an_operator_creates_searches_filters_and_exports_its_members(world: World) -> None:
    bad = world.client.post(
        "/exchange/members/new", data={"name": "恒", "uscc": "91320400MA1BADBAD"}, headers=world.operator
    )
    assert bad.status_code == 422
    assert "统一社会信用代码无效" in bad.text
    assert 'data-field="name"' in bad.text
    assert 'value="91320400MA1BADBAD"' in bad.text
    api = world.client.post(
        "/api/v1/exchange/members",
        json={"name": "恒信经纪", "uscc": "91320400MA1BADBAD"},
        headers=world.operator,
    )
    assert api.status_code == 422
    assert api.json()["code"] == "exchange.invalid"
    assert "uscc" in api.json()["details"]
    _create(world, "常州恒信产权经纪有限公司", new_uscc())
    _create(world, '=HYPERLINK("http://x")经纪', new_uscc(), status="suspended")
    page = world.client.get("/exchange/members", headers=world.operator)
    assert "常州恒信产权经纪有限公司" in page.text
    assert 'href="/exchange/members/new"' in page.text
    found = world.client.get("/exchange/members?q=恒信", headers=world.operator)
    assert "共 1" in found.text
    assert "HYPERLINK" not in found.text
    paused = world.client.get("/exchange/members?status=suspended", headers=world.operator)
    assert "HYPERLINK" in paused.text
    assert "常州恒信" not in paused.text
    assert 'href="/exchange/members/export.xlsx?status=suspended"' in paused.text
    xlsx = world.client.get("/exchange/members/export.xlsx?status=suspended", headers=world.operator)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("会员名称", "统一社会信用代码", "交易机构", "状态")
    assert [r[0] for r in rows[1:]] == ['=HYPERLINK("http://x")经纪']
    assert rows[1][3] == "暂停"
    assert sheet.cell(row=2, column=1).data_type == "s"


def test_members_are_seen_only_inside_their_institution_and_only_operators_edit(world: World) -> None:
    mid = _create(world, "常州恒信产权经纪有限公司", new_uscc())
    other = _other_institution(world)
    assert world.client.get(f"/exchange/members/{mid}", headers=other).status_code == 404
    foreign = world.client.post(
        "/api/v1/exchange/members",
        json={"name": "越权会员", "uscc": new_uscc(), "institution": "CZ"},
        headers=other,
    )
    assert foreign.status_code == 403
    assert foreign.json()["code"] == "exchange.other_institution"
    assert "常州恒信" not in world.client.get("/exchange/members", headers=other).text
    assert world.client.get("/exchange/members", headers=world.bidders[0].headers).status_code == 403
    auditor = make_user(world.session, username="ex_auditor", role=Role.auditor)
    watcher = bearer(world.session, auditor)
    world.session.commit()
    seen = world.client.get(f"/exchange/members/{mid}", headers=watcher)
    assert seen.status_code == 200
    assert "编辑会员" not in seen.text
    assert world.client.get("/exchange/members/new", headers=watcher).status_code == 403
    assert "新增会员" not in world.client.get("/exchange/members", headers=watcher).text
    edit = world.client.post(
        f"/exchange/members/{mid}/edit",
        data={"name": "常州恒信产权经纪有限公司", "uscc": "123"},
        headers=world.operator,
    )
    assert edit.status_code == 422
    assert "统一社会信用代码无效" in edit.text


def test_a_member_records_a_mandate_on_its_desk_and_sees_what_it_acts_in(world: World) -> None:
    agent = member_login(world)
    client = world.bidders[0]
    assert world.client.get("/exchange/member", headers=client.headers).status_code == 403
    mine = world.client.get("/exchange/mine", headers=agent, follow_redirects=False)
    assert mine.headers["location"] == "/exchange/member"
    today = local_today()
    form = {"kind": "org", "uscc": uscc_of(world, client.id), "valid_from": today.isoformat()}
    late = world.client.post(
        "/exchange/member/mandates",
        data={**form, "valid_to": "2026-13-40"},
        files={"file": ("委托书.pdf", io.BytesIO(PDF), "application/pdf")},
        headers=agent,
    )
    assert late.status_code == 422
    assert "日期格式应为 YYYY-MM-DD" in late.text
    missing = world.client.post(
        "/exchange/member/mandates", data={**form, "valid_to": today.isoformat()}, headers=agent
    )
    assert missing.status_code == 422
    assert "请上传委托书" in missing.text
    r = world.client.post(
        "/exchange/member/mandates",
        data={**form, "valid_to": (today + timedelta(days=30)).isoformat()},
        files={"file": ("委托书.pdf", io.BytesIO(PDF), "application/pdf")},
        headers=agent,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    code = world.published()
    world.fund(client, "50000")
    qualified_for_client(world, agent, client.id, code)
    desk = world.client.get("/exchange/member", headers=agent)
    assert client.name in desk.text
    assert "有效" in desk.text
    assert code in desk.text
    assert "撤销授权" in desk.text


def test_a_suspended_member_acts_for_no_client(world: World) -> None:
    agent = member_login(world)
    client = world.bidders[0]
    r = world.client.post(
        "/exchange/member/mandates",
        data={
            "kind": "org",
            "uscc": uscc_of(world, client.id),
            "valid_from": local_today().isoformat(),
            "valid_to": (local_today() + timedelta(days=30)).isoformat(),
        },
        files={"file": ("委托书.pdf", io.BytesIO(PDF), "application/pdf")},
        headers=agent,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    mid = member_id(world)
    r = world.client.post(
        f"/exchange/members/{mid}/edit",
        data={"name": "常州恒信产权经纪有限公司", "uscc": new_uscc(), "status": "suspended"},
        headers=world.operator,
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert "暂停" in world.client.get(f"/exchange/members/{mid}", headers=world.operator).text
    code = world.published()
    refused = world.client.post(
        f"/api/v1/exchange/member/clients/{client.id}/listings/{code}/registrations",
        json={"accept_conditions": True},
        headers=agent,
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "exchange.member_suspended"
    assert "已被交易机构暂停" in world.client.get("/exchange/member", headers=agent).text
