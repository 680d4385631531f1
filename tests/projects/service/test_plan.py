"""Plans and investment through the database: holiday dates moved with a note, order kept, 序时进度."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session
from tests.projects.conftest import MakeProject, days_ago

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.projects import service
from longcheng.projects.schedule.lights import Light
from longcheng.projects.service import lights as service_lights
from longcheng.projects.service.plan import nodes_of


class TestPlan:
    def test_planned_date_on_a_holiday_moves_and_says_so(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """An officer types National Day; the plan keeps the next working day and the reason."""
        p = make_project(stage="signed", signed_on=date(2025, 8, 1))
        notes = service.revise(
            session, actor=SYSTEM, code=p.code, entered={"project_filing": date(2025, 10, 1)}
        )
        node = next(n for n in nodes_of(session, p) if n.code == "project_filing")
        assert (node.original, node.planned) == (date(2025, 10, 1), date(2025, 10, 9))
        assert "法定节假日" in node.note
        assert "顺延至2025-10-09" in node.note
        assert notes
        assert "顺延至2025-10-09" in notes[0]
        assert (
            audit.history(session, entity_type="project", entity_id=p.code)[0].action
            == "projects.plan.revise"
        )

    def test_node_before_its_predecessor_is_refused(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """Registration planned after the filing that depends on it is refused; nothing changes."""
        p = make_project(stage="signed", signed_on=date(2025, 8, 1))
        before = {n.code: n.planned for n in nodes_of(session, p)}
        with pytest.raises(ValidationFailed) as exc:
            service.revise(
                session, actor=SYSTEM, code=p.code, entered={"company_registration": date(2025, 12, 1)}
            )
        assert exc.value.code_text == "projects.plan_order"
        assert {n.code: n.planned for n in nodes_of(session, p)} == before

    def test_plan_is_not_overwritten_unless_asked(self, session: Session, make_project: MakeProject) -> None:
        """A second plan for the same project needs an explicit replace."""
        p = make_project(stage="signed", signed_on=date(2025, 8, 1))
        with pytest.raises(Conflict):
            service.create_plan(session, actor=SYSTEM, code=p.code, start=date(2025, 9, 1))
        rows = service.create_plan(session, actor=SYSTEM, code=p.code, start=date(2025, 9, 1), replace=True)
        assert rows[0].planned == date(2025, 9, 1)

    def test_marking_a_node_done_clears_its_reason(self, session: Session, make_project: MakeProject) -> None:
        """An overdue node makes the project red; recording it as done clears that reason."""
        p = make_project(stage="signed", signed_on=days_ago(60), project_type="rd_platform")
        assert p.light == "red"
        assert "运营主体注册" in p.light_reasons
        service.set_node_done(
            session, actor=SYSTEM, code=p.code, node_code="entity_registration", done_on=days_ago(20)
        )
        assert "运营主体注册" not in service.get(session, actor=SYSTEM, code=p.code).light_reasons

    def test_done_date_in_the_future_is_refused(self, session: Session, make_project: MakeProject) -> None:
        """A node cannot be done tomorrow."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        with pytest.raises(ValidationFailed):
            service.set_node_done(
                session, actor=SYSTEM, code=p.code, node_code="project_filing", done_on=days_ago(-1)
            )

    def test_only_those_responsible_edit_the_plan(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A city-wide officer not on the task force cannot revise the plan."""
        p = make_project(stage="signed", signed_on=date(2025, 8, 1))
        with pytest.raises(PermissionDenied):
            service.revise(
                session, actor=people["pcity"], code=p.code, entered={"project_filing": date(2025, 9, 30)}
            )


class TestInvestment:
    def test_behind_schedule_turns_red_with_the_figure(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """Half of the planned investment done by October is below 70 %: red, and the reason says 50.0%."""
        p = make_project()
        for month in range(1, 13):
            service.set_investment(
                session,
                actor=SYSTEM,
                code=p.code,
                year=2025,
                month=month,
                planned_fen=100 * 10**6,
                completed_fen=50 * 10**6 if month <= 10 else 0,
            )
        result = service_lights.evaluate(session, p, today=date(2025, 11, 3))
        assert result.light is Light.red
        assert "截至2025年10月投资完成序时计划的50.0%（低于70%）" in result.reasons

    def test_negative_amount_is_refused(self, session: Session, make_project: MakeProject) -> None:
        """Investment completed cannot be negative."""
        p = make_project()
        with pytest.raises(ValidationFailed):
            service.set_investment(session, actor=SYSTEM, code=p.code, year=2025, month=3, completed_fen=-1)
