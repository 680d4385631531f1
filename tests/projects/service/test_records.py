"""Creating and editing projects: money, currencies, investors, warnings, permissions and conflicts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session
from tests.factories import make_org, make_user, new_uscc
from tests.projects.conftest import MakeProject, days_ago

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.errors import Conflict, LongchengError, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.workdays import default_calendar
from longcheng.projects import service
from longcheng.projects.models import Project, ProjectListEntry
from longcheng.projects.schemas import ProjectFilter, ProjectUpdate
from longcheng.projects.service.fields import set_fx_rate
from longcheng.projects.service.plan import nodes_of
from longcheng.projects.service.query import filtered, leaders, list_names


def _update(project: Project, **fields: object) -> ProjectUpdate:
    base = {"name": project.name, "district": project.district, "version": project.version}
    base.update(fields)
    return ProjectUpdate.model_validate(base)


class TestAmounts:
    def test_amounts_as_officers_write_them(self, make_project: MakeProject) -> None:
        """``101亿元`` and a bare ``5000`` (万元) are both stored exactly, in fen."""
        p = make_project(total_investment="101亿元", agreed_investment="5000")
        assert p.total_investment_fen == 101 * 10**8 * 100
        assert p.agreed_investment_fen == 5000 * 10**4 * 100
        assert p.currency == "CNY"
        assert p.fx_rate_micro is None

    def test_negative_investment_is_refused(self, make_project: MakeProject) -> None:
        """A negative amount is an error with a Chinese message, not a project."""
        with pytest.raises(ValidationFailed) as exc:
            make_project(total_investment="-500")
        assert "负数" in exc.value.message_text

    def test_absurd_investment_is_saved_with_a_warning(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """1万亿 on a 5-亩 plot is kept, but flagged on the project and in its audit record."""
        p = make_project(total_investment="1万亿", agreed_investment="1万亿", land_mu="5")
        assert any("投资强度" in w for w in p.warning_list)
        assert any("1000亿元" in w for w in p.warning_list)
        created = audit.history(session, entity_type="project", entity_id=p.code)[-1]
        assert "投资强度" in created.diff

    def test_plausible_figures_carry_no_warning(self, make_project: MakeProject) -> None:
        """5亿元 on 200 亩 (250万元/亩) is ordinary."""
        assert make_project(total_investment="5亿元", land_mu="200").warning_list == []

    def test_foreign_currency_kept_with_its_dated_rate(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """10亿美元 stays 10亿美元 and is converted at the latest rate on or before the signing date."""
        set_fx_rate(
            session,
            actor=SYSTEM,
            currency="USD",
            on=date(2025, 1, 2),
            cny_per_unit=Decimal("7.2"),
            source="测试",
        )
        set_fx_rate(
            session,
            actor=SYSTEM,
            currency="USD",
            on=date(2025, 6, 3),
            cny_per_unit=Decimal("7.1"),
            source="测试",
        )
        p = make_project(
            currency="USD",
            total_investment="10亿美元",
            agreed_investment="100000",
            stage="signed",
            signed_on="2025-05-20",
        )
        assert (p.currency, p.stated_total, p.stated_agreed) == ("USD", 10**9 * 100, 10**9 * 100)
        assert p.fx_rate_on == date(2025, 1, 2)
        assert p.total_investment_fen == 72 * 10**8 * 100
        set_fx_rate(
            session,
            actor=SYSTEM,
            currency="USD",
            on=date(2025, 5, 1),
            cny_per_unit=Decimal("6"),
            source="测试",
        )
        session.refresh(p)
        assert p.total_investment_fen == 72 * 10**8 * 100, (
            "a saved project keeps the rate it was converted at"
        )

    def test_currency_without_a_rate_is_refused(self, make_project: MakeProject) -> None:
        """A currency with no rate at all cannot be converted silently."""
        with pytest.raises(ValidationFailed) as exc:
            make_project(currency="XAF", total_investment="100")
        assert exc.value.code_text == "projects.fx_missing"


class TestInvestors:
    def test_investor_by_uscc_takes_the_registered_name(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """An investor named by USCC is linked to the registry and shown with its registered name."""
        org = make_org(session, name="常州测试光储科技有限公司", district="wujin")
        p = make_project(investors=[{"uscc": org.uscc, "name": "随手写的简称"}, {"name": "外地某集团"}])
        assert [(i.uscc, i.name) for i in p.investors] == [
            (org.uscc, "常州测试光储科技有限公司"),
            (None, "外地某集团"),
        ]
        assert "常州测试光储" in p.investor_names

    def test_unregistered_uscc_is_refused(self, make_project: MakeProject) -> None:
        """A USCC the registry does not know is an error naming the code."""
        code = new_uscc()
        with pytest.raises(ValidationFailed) as exc:
            make_project(investors=[{"uscc": code}])
        assert exc.value.code_text == "projects.investor_unknown"
        assert code in exc.value.message_text

    def test_district_officer_links_an_investor_from_another_district(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A Xinbei officer registers a project of a Wujin firm."""
        org = make_org(session, district="wujin")
        p = make_project(actor=people["pxinbei"], investors=[{"uscc": org.uscc}])
        assert p.investors[0].uscc == org.uscc


class TestCreateRules:
    def test_completion_before_start_is_refused(self, make_project: MakeProject) -> None:
        """A completion date before the start date is refused with both dates named."""
        with pytest.raises(ValidationFailed) as exc:
            make_project(
                stage="completed",
                signed_on=days_ago(300),
                started_on=days_ago(100),
                completed_on=days_ago(200),
            )
        assert exc.value.code_text == "projects.date_order"
        assert "竣工" in exc.value.message_text
        assert "开工" in exc.value.message_text

    def test_stage_date_required_once_signed(self, make_project: MakeProject) -> None:
        """A project at 开工 must say when it started."""
        with pytest.raises(ValidationFailed) as exc:
            make_project(stage="started", signed_on=days_ago(100))
        assert exc.value.code_text == "projects.stage_date_missing"

    def test_district_officer_registers_only_in_own_district(
        self, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A Wujin officer cannot register a Xinbei project."""
        with pytest.raises(PermissionDenied):
            make_project(actor=people["pwujin"], district="xinbei")

    def test_signed_project_gets_a_plan_on_working_days(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """From the signing date the template's nodes are laid out, every one on a working day."""
        p = make_project(stage="signed", signed_on=date(2025, 9, 1))
        nodes = nodes_of(session, p)
        cal = default_calendar(allow_uncovered=True)
        assert len(nodes) > 15
        assert nodes[0].done_on == date(2025, 9, 1)
        assert all(cal.is_working_day(n.planned) for n in nodes)
        assert all("顺延" in n.note for n in nodes if n.planned != n.original)

    def test_duplicate_code_is_refused(self, make_project: MakeProject) -> None:
        """Two projects cannot share a code."""
        make_project(code="JS-2026-001")
        with pytest.raises(Conflict):
            make_project(code="js-2026-001")


class TestUpdate:
    def test_second_save_of_the_same_version_gets_409(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """Two officers open version 1; the first save wins, the second gets a clear conflict."""
        p = make_project()
        first = _update(p, name="甲修改后的名称", version=1)
        second = _update(p, name="乙修改后的名称", version=1)
        service.update(session, actor=SYSTEM, code=p.code, data=first)
        with pytest.raises(Conflict) as exc:
            service.update(session, actor=SYSTEM, code=p.code, data=second)
        assert exc.value.code_text == "projects.stale_version"
        assert exc.value.details["current_version"] == 2
        assert service.get(session, actor=SYSTEM, code=p.code).name == "甲修改后的名称"

    def test_update_is_audited_with_its_reason(self, session: Session, make_project: MakeProject) -> None:
        """The change and its reason are in the project's history."""
        p = make_project()
        service.update(
            session,
            actor=SYSTEM,
            code=p.code,
            data=_update(p, total_investment="6亿元"),
            reason="签订补充协议",
        )
        record = audit.history(session, entity_type="project", entity_id=p.code)[0]
        assert record.action == "projects.project.update"
        assert record.reason == "签订补充协议"
        assert record.diff_data["total_investment_fen"] == [50000 * 10**6, 6 * 10**10]

    def test_city_officer_not_on_the_task_force_gets_403(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """Seeing a project is not answering for it."""
        p = make_project()
        with pytest.raises(PermissionDenied) as exc:
            service.update(session, actor=people["pcity"], code=p.code, data=_update(p))
        assert exc.value.code_text == "projects.not_responsible"

    def test_task_force_member_and_leader_may_edit(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The project's leader account and its task-force members answer for it."""
        who = {
            "leader_name": "测试副市长",
            "leader_username": "pleader",
            "task_force": [{"name": "专班甲", "username": "pcity"}],
        }
        p = make_project(**who)
        service.update(
            session, actor=people["pcity"], code=p.code, data=_update(p, summary="专班更新", **who)
        )
        p = service.get(session, actor=SYSTEM, code=p.code)
        service.update(
            session, actor=people["pleader"], code=p.code, data=_update(p, summary="领导更新", **who)
        )
        assert service.get(session, actor=SYSTEM, code=p.code).summary == "领导更新"

    def test_district_officer_cannot_see_another_district(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A Wujin officer gets 403 for a Xinbei project."""
        p = make_project()
        with pytest.raises(LongchengError) as exc:
            service.get(session, actor=people["pwujin"], code=p.code)
        assert exc.value.status_code == 404


class TestEnterpriseScope:
    def test_enterprise_sees_only_projects_it_invests_in(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """A firm's user lists its own projects only, and gets 404 for the others, as for a wrong code."""
        org = make_org(session)
        mine = make_project(investors=[{"uscc": org.uscc}])
        other = make_project()
        firm = make_user(session, username="pfirm", role=Role.enterprise, org_uscc=org.uscc).to_actor()
        page = service.list_projects(session, actor=firm, filters=ProjectFilter())
        assert [p.code for p in page.items] == [mine.code]
        with pytest.raises(NotFound):
            service.get(session, actor=firm, code=other.code)


class TestFilterChoices:
    def test_a_list_and_a_leader_added_without_an_audit_record_are_offered(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """Rows a bulk load writes without an audit record (a list entry, a leader's name) still
        reach the filter bar's choices: they are kept under the list's own stamps."""
        p = make_project(leader_name="王组长")
        officer = people["pcity"]
        assert leaders(session, actor=officer) == ("王组长",)
        assert "批量导入名单" not in list_names(session)
        session.add(ProjectListEntry(project_id=p.id, list_name="批量导入名单"))
        session.add(Project(**{**_copy_of(p), "code": "XX-BULK-1", "leader_name": "李组长"}))
        session.flush()
        assert "批量导入名单" in list_names(session)
        assert leaders(session, actor=officer) == ("李组长", "王组长")


def _copy_of(p: Project) -> dict[str, object]:
    """The plain columns of a project, as a bulk load would write them for another row."""
    skip = {"id", "code", "version"}
    return {c.key: getattr(p, c.key) for c in Project.__table__.columns if c.key not in skip}


class TestListNames:
    def test_each_row_of_the_list_carries_its_lists_read_with_the_row(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The list shows every project's lists (none, one, several; in code-point order)
        without a statement per row or a second statement for the entries."""
        several = make_project(name="甲多清单测试项目", lists="市重大;532;区重大")
        none = make_project(name="乙无清单测试项目")
        session.flush()
        session.expunge_all()  # a new request's session: nothing already loaded
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            statements.append(statement)

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            page = service.list_projects(session, actor=people["pcity"], filters=ProjectFilter(sort="name"))
            names = {p.code: p.list_names for p in page.items}
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert names[several.code] == ["532", "区重大", "市重大"]
        assert names[none.code] == []
        assert [s for s in statements if s.lstrip().upper().startswith("SELECT PROJECTS_LIST_ENTRY")] == []


class TestKeptPages:
    def test_pages_laid_end_to_end_are_the_sorted_list_for_each_scope(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """23 projects in two districts, paged by 5 (windows of 25 ids) and by 4: the pages hold
        the sorted list each officer may see, and a Wujin officer's kept window never shows a
        Xinbei project to the one who asks next."""
        for i in range(23):
            make_project(name=f"分页{i:02d}号测试项目", district=("xinbei", "wujin")[i % 3 == 0])
        session.commit()
        for who in ("pwujin", "pxinbei", "padmin", "pwujin"):
            actor = people[who]
            for sort in ("name", "-name"):
                filters = ProjectFilter(q="分页", sort=sort)
                whole = [p.code for p in session.scalars(filtered(actor, filters))]
                assert whole
                for size in (5, 4):
                    paged: list[str] = []
                    for number in range(1, 8):
                        found = service.list_projects(
                            session, actor=actor, filters=filters, page=number, page_size=size
                        )
                        assert found.total == len(whole)
                        paged += [p.code for p in found.items]
                    assert paged == whole, (who, sort, size)

    def test_a_project_moved_to_another_district_leaves_the_officers_page(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The Xinbei officer's first page is read (its ids kept); the project moves to Wujin: the
        next request leaves it out and the Wujin officer sees it."""
        moved = make_project(name="迁区测试项目", district="xinbei")
        make_project(name="留区测试项目", district="xinbei")
        session.commit()
        filters = ProjectFilter(q="区测试")

        def codes(who: str) -> list[str]:
            page = service.list_projects(session, actor=people[who], filters=filters)
            return [p.code for p in page.items]

        assert moved.code in codes("pxinbei")
        service.update(
            session,
            actor=people["padmin"],
            code=moved.code,
            data=_update(moved, district="wujin"),
        )
        session.commit()
        assert moved.code not in codes("pxinbei")
        assert codes("pwujin") == [moved.code]
