"""Forms where only an API existed: programmes and windows (create, edit, validation), issuing
vouchers and drawing the audit sample; each refused form shows its Chinese reason and writes nothing."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import csrf_from, login, make_org, make_user
from tests.grants.conftest import MakeProgramme

from longcheng.core.actors import SYSTEM, Role
from longcheng.grants.programmes import service as programmes
from longcheng.grants.vouchers import views as vouchers_views
from longcheng.grants.vouchers.schemas import VoucherFilter


def _staff(client: TestClient, session: Session, username: str, role: Role) -> str:
    make_user(session, username=username, role=role)
    login(client, username)
    return csrf_from(client.get("/grants").text)


def test_officer_creates_and_edits_a_programme_and_its_window(
    app_client: TestClient, session: Session
) -> None:
    token = _staff(app_client, session, "gformoff", Role.officer)
    assert "新建专项" in app_client.get("/grants").text
    form = {"csrf_token": token, "code": "坏编号", "name": "数", "department": "市工信局"}
    bad = app_client.post("/grants/programmes/new", data=form)
    assert bad.status_code == 422
    assert "编号只能包含字母" in bad.text
    form |= {"code": "form01", "name": "智能制造专项", "guide": "一、支持对象"}
    made = app_client.post("/grants/programmes/new", data=form, follow_redirects=False)
    assert made.status_code == 303
    assert made.headers["location"] == "/grants/programmes/FORM01"
    edit = form | {"name": "智能制造示范专项", "contact": "0519-1234"}
    assert app_client.post("/grants/programmes/FORM01/edit", data=edit).status_code == 200
    assert programmes.get(session, actor=SYSTEM, code="FORM01").name == "智能制造示范专项"

    window = {
        "csrf_token": token,
        "code": "W1",
        "name": "2026年第一批",
        "fiscal_year": "2026",
        "opens_at": "2026-03-01T09:00:00",
        "closes_at": "2026-03-31T17:00:00",
        "sla_submitted": "3",
        "checklist_text": "audit|专项审计报告|pdf|10|必需\nphoto|现场照片|jpg,png|5|随便",
        "fields_text": "jobs|新增就业人数|number|必需",
    }
    refused = app_client.post("/grants/programmes/FORM01/windows/new", data=window)
    assert refused.status_code == 422
    assert "材料清单第 2 行" in refused.text
    window["checklist_text"] = "audit|专项审计报告|pdf|10|必需\nphoto|现场照片|jpg,png|5|可选"
    ok = app_client.post("/grants/programmes/FORM01/windows/new", data=window, follow_redirects=False)
    assert ok.status_code == 303
    programme = programmes.get(session, actor=SYSTEM, code="FORM01")
    (saved,) = programmes.windows_of(session, actor=SYSTEM, programme=programme)
    assert [c["code"] for c in json.loads(saved.checklist)] == ["audit", "photo"]
    assert json.loads(saved.sla) == {"submitted": 3}
    assert saved.closes_at.isoformat() == "2026-03-31T09:00:00+00:00"
    page = app_client.get(f"/grants/windows/{saved.id}/edit")
    assert "2026-03-31T17:00:00" in page.text
    backwards = window | {"closes_at": "2026-02-01T09:00:00"}
    refused = app_client.post(f"/grants/windows/{saved.id}/edit", data=backwards)
    assert refused.status_code == 422
    assert "截止时间须晚于开始时间" in refused.text


def test_an_enterprise_sees_no_management_forms(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    programme = make_programme()
    make_user(session, username="gformfirm", role=Role.enterprise, org_uscc=make_org(session).uscc)
    login(app_client, "gformfirm")
    assert "编辑专项" not in app_client.get(f"/grants/programmes/{programme.code}").text
    assert app_client.get("/grants/programmes/new").status_code == 403
    assert app_client.get("/grants/vouchers/issue").status_code == 403


def test_officer_issues_a_voucher_from_the_form(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    programme = make_programme(budget_fen=10_000_00)
    firm = make_org(session)
    token = _staff(app_client, session, "gformvou", Role.officer)
    assert "发放创新券" in app_client.get("/grants/vouchers").text
    form = {
        "csrf_token": token,
        "programme": programme.code,
        "fiscal_year": "2026",
        "firm_uscc": firm.uscc,
        "amount": "20000",
        "purpose": "testing",
        "valid_until": "2027-06-30",
    }
    over = app_client.post("/grants/vouchers/issue", data=form)
    assert over.status_code == 409
    assert "预算" in over.text
    bad = app_client.post("/grants/vouchers/issue", data=form | {"amount": "一万"})
    assert bad.status_code == 422
    assert "无法识别" in bad.text
    ok = app_client.post("/grants/vouchers/issue", data=form | {"amount": "5000"}, follow_redirects=False)
    assert ok.status_code == 303
    issued = vouchers_views.list_vouchers(session, actor=SYSTEM, filters=VoucherFilter(q=firm.name))
    assert [v.amount_fen for v in issued.items] == [5_000_00]


def test_auditor_draw_form_explains_an_empty_population(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    programme = make_programme()
    token = _staff(app_client, session, "gformaud", Role.auditor)
    assert "抽取审计样本" in app_client.get("/grants/audit").text
    form = {
        "csrf_token": token,
        "programme": programme.code,
        "fiscal_year": "2026",
        "size": "5",
        "seed": "42",
    }
    refused = app_client.post("/grants/audit/draw", data=form)
    assert refused.status_code == 409
    assert "尚无已支付的资金" in refused.text
    assert "42" in refused.text
