"""The projects pages over HTTP: list, filters, export, project page actions, permissions, conflicts."""

from __future__ import annotations

import io
import json
import re
from datetime import date

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from tests.factories import login
from tests.projects.conftest import MakeProject, days_ago

from longcheng.core.actors import SYSTEM, Actor
from longcheng.projects import service
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.evidence.matching import EvidenceCandidate
from longcheng.projects.schemas import OrderIn
from longcheng.projects.supervision import service as supervision_service


def _seed_list(make_project: MakeProject) -> None:
    make_project(
        name="星河动力电池项目",
        district="xinbei",
        total_investment="30亿元",
        lists=["市重大"],
        leader_name="甲副市长",
    )
    make_project(
        name="星河光伏组件项目",
        district="xinbei",
        total_investment="8亿元",
        lists=["区重大"],
        leader_name="乙副区长",
    )
    make_project(
        name="星河医疗器械项目",
        district="wujin",
        park="武进国家高新区",
        total_investment="12亿元",
        lists=["市重大"],
        leader_name="甲副市长",
    )
    make_project(name="其他智能装备项目", district="xinbei", total_investment="50亿元", lists=["市重大"])


class TestList:
    def test_filters_and_export_show_the_same_rows(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """Filtered by text, list and amount range, the page and the XLSX export hold the same projects."""
        _seed_list(make_project)
        session.commit()
        login(app_client, "padmin")
        params = {"q": "星河", "list": "市重大", "min_wan": "100000", "sort": "-total"}
        page = app_client.get("/projects", params=params)
        assert "共 2 个项目" in page.text
        assert page.text.index("星河动力电池") < page.text.index("星河医疗器械")
        resp = app_client.get("/projects/export.xlsx", params=params)
        rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
        assert rows[0][:2] == ("项目编号", "项目名称")
        assert [r[1] for r in rows[1:]] == ["星河动力电池项目", "星河医疗器械项目"]

    def test_district_officer_sees_only_the_district(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A Wujin officer's list and export leave out Xinbei projects."""
        _seed_list(make_project)
        session.commit()
        login(app_client, "pwujin")
        page = app_client.get("/projects", params={"q": "星河"})
        assert "共 1 个项目" in page.text
        assert "星河医疗器械" in page.text
        resp = app_client.get("/projects/export.xlsx")
        rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
        assert [r[1] for r in rows[1:]] == ["星河医疗器械项目"]

    def test_leader_park_and_stage_filters_and_paging(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """Leader and park narrow the list; a page of two has a next link and the rest on page two."""
        _seed_list(make_project)
        session.commit()
        login(app_client, "padmin")
        assert "共 2 个项目" in app_client.get("/projects", params={"leader": "甲副市长"}).text
        assert "共 1 个项目" in app_client.get("/projects", params={"park": "wj_hitech"}).text
        assert "共 0 个项目" in app_client.get("/projects", params={"stage": "started"}).text
        first = app_client.get("/projects", params={"page_size": 2, "sort": "name"})
        assert 'id="next-page"' in first.text
        second = app_client.get("/projects", params={"page_size": 2, "sort": "name", "page": 2})
        assert "第 2/2 页" in second.text

    def test_a_stage_change_shows_in_the_listed_row_at_once(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The list's rows are drawn once and kept: the officer views the list, moves a project
        to the next stage on its page, and the list's row shows the new stage (as the page and
        as the HTMX partial)."""
        p = make_project(name="行缓存阶段测试项目", stage="signed", signed_on=days_ago(30))
        session.commit()
        token = login(app_client, "pxinbei")
        params = {"q": "行缓存阶段"}
        before = app_client.get("/projects", params=params)
        assert '<span class="stage-badge">签约</span>' in before.text
        resp = app_client.post(
            f"/projects/{p.code}/stage",
            data={"csrf_token": token, "stage": "registered", "on": days_ago(1).isoformat(), "version": "1"},
        )
        assert resp.status_code == 200
        for headers in ({}, {"HX-Request": "true"}):
            after = app_client.get("/projects", params=params, headers=headers)
            assert '<span class="stage-badge">注册</span>' in after.text
            assert '<span class="stage-badge">签约</span>' not in after.text

    def test_anonymous_visitor_is_sent_to_login(self, app_client: TestClient) -> None:
        """Project pages ask for a login first."""
        resp = app_client.get("/projects", follow_redirects=False)
        assert resp.status_code == 303
        assert resp.headers["location"].startswith("/login")


class TestProjectPage:
    def test_page_shows_timeline_plan_notes_lights_and_history(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The project page shows the stages, the plan with its holiday note, the red reason, the history."""
        p = make_project(stage="signed", signed_on="2025-08-01")
        service.revise(session, actor=SYSTEM, code=p.code, entered={"project_filing": date(2025, 10, 1)})
        session.commit()
        login(app_client, "padmin")
        page = app_client.get(f"/projects/{p.code}")
        assert page.status_code == 200
        assert "推进阶段" in page.text
        assert "2025-08-01" in page.text
        assert "顺延至2025-10-09" in page.text
        assert 'id="project-light"' in page.text
        assert "红灯原因" in page.text
        assert "调整推进计划" in page.text

    def test_stage_change_by_someone_not_responsible_is_403(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A city officer posting a stage change gets 403 with the reason, and the stage stays."""
        p = make_project(stage="signed", signed_on=days_ago(30))
        session.commit()
        token = login(app_client, "pcity")
        resp = app_client.post(
            f"/projects/{p.code}/stage",
            data={
                "csrf_token": token,
                "stage": "registered",
                "on": days_ago(1).isoformat(),
                "version": str(p.version),
            },
        )
        assert resp.status_code == 403
        assert 'data-code="projects.not_responsible"' in resp.text
        session.expire_all()
        assert service.get(session, actor=SYSTEM, code=p.code).stage == "signed"

    def test_responsible_officer_moves_the_stage(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The district officer moves the project and comes back to its page with a notice."""
        p = make_project(stage="signed", signed_on=days_ago(30))
        session.commit()
        token = login(app_client, "pxinbei")
        resp = app_client.post(
            f"/projects/{p.code}/stage",
            data={
                "csrf_token": token,
                "stage": "registered",
                "on": days_ago(1).isoformat(),
                "version": str(p.version),
            },
        )
        assert resp.status_code == 200
        assert "阶段已变更为“注册”" in resp.text
        session.expire_all()
        assert service.get(session, actor=SYSTEM, code=p.code).stage == "registered"

    def test_second_save_keeps_the_typed_values_and_says_409(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """Two saves from version 1: the second gets 409, its typed values stay in the form, none lost."""
        p = make_project()
        session.commit()
        token = login(app_client, "pxinbei")
        form = {
            "csrf_token": token,
            "version": "1",
            "district": "xinbei",
            "total_investment": "50000",
            "project_type": "industrial",
            "currency": "CNY",
        }
        first = app_client.post(
            f"/projects/{p.code}/edit", data={**form, "name": "甲保存的名称"}, follow_redirects=False
        )
        assert first.status_code == 303
        second = app_client.post(f"/projects/{p.code}/edit", data={**form, "name": "乙正在填写的名称"})
        assert second.status_code == 409
        assert 'value="乙正在填写的名称"' in second.text
        assert "甲保存的名称" in second.text
        assert 'name="version" value="2"' in second.text
        session.expire_all()
        assert service.get(session, actor=SYSTEM, code=p.code).name == "甲保存的名称"

    def test_absurd_amount_is_saved_and_the_warning_shown(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """Registering 1万亿 on 5 亩 saves the project and shows the warning on its page."""
        session.commit()
        token = login(app_client, "pxinbei")
        resp = app_client.post(
            "/projects/new",
            data={
                "csrf_token": token,
                "name": "离谱金额测试项目",
                "district": "xinbei",
                "project_type": "industrial",
                "currency": "CNY",
                "total_investment": "1万亿",
                "land_mu": "5",
                "stage": "lead",
            },
        )
        assert resp.status_code == 200
        assert 'id="warnings"' in resp.text
        assert "投资强度" in resp.text

    def test_bad_form_input_is_shown_with_the_values_kept(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """A negative amount comes back as 422 with the message and what was typed."""
        session.commit()
        token = login(app_client, "pxinbei")
        resp = app_client.post(
            "/projects/new",
            data={
                "csrf_token": token,
                "name": "负数测试项目",
                "district": "xinbei",
                "project_type": "industrial",
                "currency": "CNY",
                "total_investment": "-3",
            },
        )
        assert resp.status_code == 422
        assert "负数" in resp.text
        assert 'value="负数测试项目"' in resp.text

    def test_reply_with_a_file_and_download_it(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The district replies to a 督办单 with a PDF; the page lists it and the file downloads intact."""
        p = make_project()
        order = supervision_service.issue_order(
            session, actor=SYSTEM, code=p.code, data=OrderIn(subject="报送进展")
        )
        session.commit()
        token = login(app_client, "pxinbei")
        pdf = b"%PDF-1.4\n% reply\n" + b"0" * 500
        resp = app_client.post(
            f"/projects/orders/{order.id}/reply",
            data={"csrf_token": token, "code": p.code, "body": "已按要求报送。"},
            files={"files": ("进展报告.pdf", pdf, "application/pdf")},
        )
        assert resp.status_code == 200
        assert "进展报告.pdf" in resp.text
        link = re.search(r'href="(/projects/files/\d+)"', resp.text)
        assert link is not None
        download = app_client.get(link.group(1))
        assert download.content == pdf
        assert download.headers["content-type"] == "application/pdf"

    def test_officer_accepts_news_evidence_on_the_page(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A proposed news fact is shown with its headline; accepting it is recorded."""
        p = make_project(
            name="年产20GWh动力电池项目",
            investors=[{"name": "天目湖动力有限公司"}],
            total_investment="101亿元",
        )
        out = evidence_service.propose_evidence(
            session,
            actor=SYSTEM,
            candidates=[
                EvidenceCandidate(
                    source_ref="f1",
                    sentence="（测试）天目湖动力20GWh项目签约。",
                    event="signed",
                    reported_on=days_ago(10),
                    cue="签约总投资101亿元",
                    org_names=("天目湖动力",),
                    amount_fen=101 * 10**10,
                    district="xinbei",
                    link="/intel/facts/1",
                )
            ],
        )
        session.commit()
        token = login(app_client, "pxinbei")
        page = app_client.get(f"/projects/{p.code}")
        assert f"{days_ago(10).isoformat()} 报道：签约总投资101亿元" in page.text
        assert "/intel/facts/1" in page.text
        resp = app_client.post(
            f"/projects/evidence/{out.proposed[0].id}/decide",
            data={"csrf_token": token, "code": p.code, "decision": "accept"},
        )
        assert "已采纳" in resp.text
        assert "确认新闻线索" in resp.text


class TestModulePages:
    def test_board_and_dashboard(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The board groups projects by stage; the dashboard carries chart data for stages and districts."""
        _seed_list(make_project)
        session.commit()
        login(app_client, "padmin")
        board = app_client.get("/projects/board")
        assert board.status_code == 200
        assert 'data-stage="lead"' in board.text
        assert "星河动力电池项目" in board.text
        dash = app_client.get("/projects/dashboard")
        spec = re.search(r'<script type="application/json" id="spec-stage">(.*?)</script>', dash.text, re.S)
        assert spec is not None
        assert json.loads(spec.group(1))["series"][0]["data"][0] == 4
        assert 'id="kpi-total">4个' in dash.text

    def test_thresholds_page_edits_and_refuses_district_officers(
        self, app_client: TestClient, session: Session, people: dict[str, Actor]
    ) -> None:
        """A city officer saves new thresholds on the page; a district officer's post is refused with 403."""
        session.commit()
        values = {
            "node_yellow_within_working_days": "8",
            "node_red_after_overdue_working_days": "0",
            "order_yellow_within_working_days": "2",
            "order_late_reply_red_working_days": "22",
            "schedule_yellow_below_pct": "90",
            "schedule_red_below_pct": "70",
        }
        token = login(app_client, "pcity")
        page = app_client.get("/projects/thresholds")
        assert 'name="node_yellow_within_working_days" value="5"' in page.text
        resp = app_client.post("/projects/thresholds", data={**values, "csrf_token": token})
        assert resp.status_code == 200
        assert "预警阈值已保存" in resp.text
        assert 'name="node_yellow_within_working_days" value="8"' in resp.text
        app_client.post("/logout")
        token = login(app_client, "pxinbei")
        refused = app_client.post(
            "/projects/thresholds", data={**values, "version": "1", "csrf_token": token}
        )
        assert refused.status_code == 403

    def test_ceremony_form_starts_from_the_filtered_list(
        self, app_client: TestClient, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """From a filtered list, the ceremony form opens with exactly those projects' codes."""
        _seed_list(make_project)
        session.commit()
        login(app_client, "padmin")
        page = app_client.get("/projects/ceremony", params={"list": "区重大"})
        codes = re.search(r'<textarea name="codes"[^>]*>(.*?)</textarea>', page.text, re.S)
        assert codes is not None
        assert len(codes.group(1).split()) == 1
        assert "以筛选结果发起集中活动" in app_client.get("/projects", params={"list": "区重大"}).text
