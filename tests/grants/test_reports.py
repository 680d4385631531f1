"""The programme report (outcomes from the registry's dated facts, yuan paid per outcome unit)
and the programme dashboard (applications, amounts, time in stage by programme and district)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login, make_org, make_user
from tests.grants.conftest import MakeProgramme
from tests.grants.test_applications import CLOSES, _end_publicity, _firm, _ready, _window
from tests.grants.test_batches import _headers, _return_file

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.clock import utcnow
from longcheng.grants.applications.schemas import MoveIn
from longcheng.grants.applications.service import apply, decide
from longcheng.grants.applications.service.base import get
from longcheng.grants.programmes.models import Window
from longcheng.grants.reports.schemas import DashboardFilter
from longcheng.grants.reports.service import dashboard
from longcheng.registry import service as registry
from longcheng.registry.schemas import FactCreate

WAN = 1_000_000  # fen in one 万元


def _fact(session: Session, uscc: str, kind: str, year: int, value: int) -> None:
    data = FactCreate(kind=kind, year=year, value=value, source="统计局年报")
    registry.add_fact(session, actor=SYSTEM, uscc=uscc, data=data)


def _apply(session: Session, window: Window, username: str, district: str) -> tuple[str, str]:
    org = make_org(session, district=district)
    firm = make_user(session, username=username, role=Role.enterprise, org_uscc=org.uscc).to_actor()
    number = _ready(session, firm, window)
    apply.submit(session, actor=firm, number=number, pledge=True, now=CLOSES - timedelta(days=1))
    return org.uscc, number


def _award(session: Session, number: str) -> None:
    for stage in ("first_review", "second_review", "expert_review", "financial_review"):
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    decide.set_amount(session, actor=SYSTEM, number=number, approved_fen=40_000_00)
    for stage in ("proposed", "publicised"):
        decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage=stage, reason="同意"))
    _end_publicity(session, number)
    decide.move(session, actor=SYSTEM, number=number, data=MoveIn(to_stage="decided", reason="同意"))


def _pay_all(client: TestClient, session: Session) -> None:
    fin1, fin2 = _headers(session, "gfin1"), _headers(session, "gfin2")
    batch = client.post("/api/v1/grants/batches", json={}, headers=fin1).json()
    client.post(f"/api/v1/grants/batches/{batch['id']}/approve", headers=fin1)
    client.post(f"/api/v1/grants/batches/{batch['id']}/approve", headers=fin2)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/api/v1/grants/batches/{batch['id']}/bank.xlsx", headers=fin1).content)
    ).active
    assert sheet is not None
    head, *body = list(sheet.iter_rows(values_only=True))
    ref, amount = head.index("付款参考号"), head.index("金额（元）")
    lines = [[r[ref], r[amount], "成功", ""] for r in body]
    paid = client.post(
        f"/api/v1/grants/batches/{batch['id']}/return",
        files={"file": ("r.xlsx", _return_file(lines))},
        headers=fin1,
    )
    assert paid.json()["paid"] == len(lines)


def test_programme_report_yuan_per_outcome(
    app_client: TestClient, session: Session, make_programme: MakeProgramme, finance: dict[str, Actor]
) -> None:
    """Two funded firms; only the one with both years reported counts: 40,000 yuan paid for
    200 万元 more revenue is 200 yuan per 万元, and for 20 more jobs 2,000 yuan per job."""
    programme = make_programme(budget_fen=100_000_00)
    window = _window(session, programme)
    grew, first = _apply(session, window, "grep_a", "xinbei")
    silent, second = _apply(session, window, "grep_b", "wujin")
    _award(session, first)
    _award(session, second)
    _fact(session, grew, "revenue", 2025, 1000 * WAN)
    _fact(session, grew, "revenue", 2026, 1200 * WAN)
    _fact(session, grew, "employees", 2025, 100)
    _fact(session, grew, "employees", 2026, 120)
    _fact(session, silent, "revenue", 2025, 500 * WAN)
    make_user(session, username="grep_off", role=Role.officer)
    session.commit()
    _pay_all(app_client, session)

    login(app_client, "grep_off")
    page = app_client.get(f"/grants/reports/{programme.code}", params={"year": 2026})
    assert page.status_code == 200
    assert "2 家" in page.text
    assert "8.00 万元" in page.text  # paid: 2 × 40,000 yuan
    assert "每万元 200.00 元" in page.text
    assert "每人 2,000.00 元" in page.text
    assert "1000.00 → 1200.00（2026）" in page.text
    assert 'data-chart="spec-growth"' in page.text
    sheet = load_workbook(io.BytesIO(app_client.get(f"/grants/reports/{programme.code}.xlsx").content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("申报编号", "企业名称", "统一社会信用代码")
    by_number = {r[0]: r for r in rows[1:]}
    assert by_number[first][7:9] == (1000, 1200)
    assert by_number[second][8] in (None, "")
    firm = _headers(session, "grep_a")
    assert app_client.get(f"/grants/reports/{programme.code}", headers=firm).status_code == 403


def test_dashboard_by_programme_and_district(
    app_client: TestClient, session: Session, make_programme: MakeProgramme
) -> None:
    """Counts, amounts and time in stage by programme and district, filtered; the XLSX has one
    row per programme and district; the navigation offers it to staff, not to firms."""
    programme = make_programme(budget_fen=100_000_00)
    window = _window(session, programme)
    _, first = _apply(session, window, "gdash_a", "xinbei")
    _apply(session, window, "gdash_b", "wujin")
    _award(session, first)
    make_user(session, username="gdash_off", role=Role.officer)
    session.commit()
    login(app_client, "gdash_off")
    home = app_client.get("/grants")
    assert 'href="/grants/dashboard"' in home.text
    page = app_client.get("/grants/dashboard", params={"programme": programme.code})
    assert page.status_code == 200
    assert '<dd id="kpi-apps">2 件</dd>' in page.text
    assert "已下达" in page.text
    assert f'href="/grants/reports/{programme.code}"' in page.text
    for chart in ("programme", "district", "days", "stage"):
        assert f'data-chart="spec-{chart}"' in page.text
    one = app_client.get("/grants/dashboard", params={"programme": programme.code, "district": "wujin"})
    assert '<dd id="kpi-apps">1 件</dd>' in one.text
    none = app_client.get("/grants/dashboard", params={"programme": programme.code, "year": 2019})
    assert '<dd id="kpi-apps">0 件</dd>' in none.text
    xlsx = app_client.get("/grants/dashboard.xlsx", params={"programme": programme.code})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("专项", "地区", "申报数")
    assert sorted((r[2], r[4]) for r in rows[1:]) == [(1, 0), (1, 1)]
    firm = _headers(session, "gdash_a")
    assert app_client.get("/grants/dashboard", headers=firm).status_code == 403


def _waiting_for(session: Session, number: str, days: int) -> None:
    get(session, actor=SYSTEM, number=number).stage_entered_at = utcnow() - timedelta(days=days)
    session.flush()


def test_dashboard_figures_summed_by_the_database(session: Session, make_programme: MakeProgramme) -> None:
    """Two programmes, four applications and a draft: the sums, the average and the longest time
    waiting in a stage per programme, district and pair, the stage counts, and an officer of
    Xinbei seeing only Xinbei."""
    a, b = make_programme(budget_fen=100_000_00), make_programme(budget_fen=100_000_00)
    wa, wb = _window(session, a), _window(session, b)
    _, two_days = _apply(session, wa, "gfig_a", "xinbei")
    _, six_days = _apply(session, wa, "gfig_b", "wujin")
    _, funded = _apply(session, wa, "gfig_c", "xinbei")
    _, refused = _apply(session, wb, "gfig_d", "xinbei")
    _ready(session, _firm(session, "gfig_e")[0], wb)
    _award(session, funded)
    decide.move(session, actor=SYSTEM, number=refused, data=MoveIn(to_stage="rejected", reason="不符合条件"))
    _waiting_for(session, two_days, 2)
    _waiting_for(session, six_days, 6)
    d = dashboard.dashboard(session, actor=SYSTEM, filters=DashboardFilter(year=2026))
    days = pytest.approx

    def figures(g: dashboard.Group) -> tuple[object, ...]:
        return (g.apps, g.requested_fen, g.decided, g.approved_fen, g.waiting, g.days_avg, g.days_max)

    assert figures(d.total) == (4, 200_000_00, 1, 40_000_00, 2, days(4.0, abs=1e-3), days(6.0, abs=1e-3))
    assert [(g.key, figures(g)) for g in d.by_programme] == [
        (a.code, (3, 150_000_00, 1, 40_000_00, 2, days(4.0, abs=1e-3), days(6.0, abs=1e-3))),
        (b.code, (1, 50_000_00, 0, 0, 0, 0.0, 0.0)),
    ]
    assert [(g.label, figures(g)) for g in d.by_district] == [
        ("新北区", (3, 150_000_00, 1, 40_000_00, 1, days(2.0, abs=1e-3), days(2.0, abs=1e-3))),
        ("武进区", (1, 50_000_00, 0, 0, 1, days(6.0, abs=1e-3), days(6.0, abs=1e-3))),
    ]
    assert [(g.key, g.apps, g.waiting) for g in d.by_pair] == [
        (f"{a.code}/wujin", 1, 1),
        (f"{a.code}/xinbei", 2, 1),
        (f"{b.code}/xinbei", 1, 0),
    ]
    assert d.by_stage == [("受理", 2), ("下达", 1), ("不予支持", 1)]
    officer = make_user(session, username="gfig_off", role=Role.officer, district="xinbei").to_actor()
    mine = dashboard.dashboard(session, actor=officer, filters=DashboardFilter())
    assert (mine.total.apps, [g.label for g in mine.by_district]) == (3, ["新北区"])
    one = dashboard.dashboard(
        session, actor=SYSTEM, filters=DashboardFilter(programme=b.code, district="xinbei")
    )
    assert figures(one.total) == (1, 50_000_00, 0, 0, 0, 0.0, 0.0)
