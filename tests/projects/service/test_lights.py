"""Lights through the database: thresholds officers edit (audited), and the batch recompute."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session
from tests.projects.conftest import MakeProject

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.errors import Conflict, PermissionDenied
from longcheng.projects import service
from longcheng.projects.schedule.lights import Light
from longcheng.projects.schemas import OrderIn, ThresholdsIn
from longcheng.projects.service import lights as service_lights
from longcheng.projects.supervision import service as supervision_service
from longcheng.projects.supervision.models import SupervisionOrder

TODAY = date(2025, 11, 3)


def _thresholds(**changes: object) -> ThresholdsIn:
    values: dict[str, object] = {
        "node_yellow_within_working_days": 5,
        "node_red_after_overdue_working_days": 0,
        "order_yellow_within_working_days": 2,
        "order_late_reply_red_working_days": 22,
        "schedule_yellow_below_pct": Decimal(90),
        "schedule_red_below_pct": Decimal(70),
    }
    values.update(changes)
    return ThresholdsIn.model_validate(values)


class TestThresholds:
    def test_defaults_come_from_the_yaml(self, session: Session) -> None:
        """Until someone saves thresholds, the packaged defaults apply."""
        t = service_lights.get_thresholds(session)
        assert t.node_yellow_within_working_days == 5
        assert service_lights.thresholds_version(session) is None

    def test_officer_changes_them_and_lights_follow(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A grace of 30 working days turns an overdue node from red to yellow, and the change is audited."""
        p = make_project(stage="signed", signed_on=date(2025, 8, 1))
        service.recompute_all(session, actor=SYSTEM, today=date(2025, 9, 3))
        session.refresh(p)
        assert p.light == "red"
        service.update_thresholds(
            session,
            actor=people["pcity"],
            data=_thresholds(node_red_after_overdue_working_days=30),
            reason="汛期放宽",
        )
        assert service_lights.get_thresholds(session).node_red_after_overdue_working_days == 30
        service.recompute_all(session, actor=SYSTEM, today=date(2025, 9, 3))
        session.refresh(p)
        assert p.light == "yellow"
        record = next(r for r in audit.recent(session) if r.action == "projects.thresholds.update")
        assert record.reason == "汛期放宽"
        assert record.diff_data["node_red_after_overdue_working_days"] == [0, 30]

    def test_district_officer_cannot_change_them(self, session: Session, people: dict[str, Actor]) -> None:
        """Thresholds are city-wide: a district officer gets 403."""
        with pytest.raises(PermissionDenied):
            service.update_thresholds(session, actor=people["pxinbei"], data=_thresholds())

    def test_stale_version_is_refused(self, session: Session) -> None:
        """Two officers editing thresholds at once: the second save is a conflict."""
        service.update_thresholds(session, actor=SYSTEM, data=_thresholds())
        service.update_thresholds(session, actor=SYSTEM, data=_thresholds(version=1))
        with pytest.raises(Conflict):
            service.update_thresholds(session, actor=SYSTEM, data=_thresholds(version=1))

    def test_red_below_yellow_is_required(self) -> None:
        """A red threshold above the yellow one makes no sense and is refused."""
        with pytest.raises(ValueError, match="红灯阈值不能高于黄灯阈值"):
            _thresholds(schedule_red_below_pct=Decimal(95))


class TestRecompute:
    def test_batch_agrees_with_the_project_page(self, session: Session, make_project: MakeProject) -> None:
        """For nodes, orders (open, late, on time) and 序时进度, the stored lights and reasons equal
        what the project page computes one by one."""
        projects = [
            make_project(stage="signed", signed_on=date(2025, 6, 2 + i), project_type=kind)
            for i, kind in enumerate(["industrial", "service", "rd_platform", "infrastructure"])
        ]
        projects.append(make_project())
        for i, p in enumerate(projects[:3]):
            order = supervision_service.issue_order(
                session, actor=SYSTEM, code=p.code, data=OrderIn(subject=f"督办{i}")
            )
            order.issued_on, order.reply_due = date(2025, 10, 20), date(2025, 10, 27) + timedelta(days=3 * i)
            order.replied_on = [None, date(2025, 10, 31), date(2025, 11, 3)][i]
        for month in range(1, 11):
            service.set_investment(
                session,
                actor=SYSTEM,
                code=projects[3].code,
                year=2025,
                month=month,
                planned_fen=10**8,
                completed_fen=8 * 10**7,
            )
        session.flush()
        result = service.recompute_all(session, actor=SYSTEM, today=TODAY)
        assert result.projects == len(projects)
        for p in projects:
            session.refresh(p)
            expected = service_lights.evaluate(session, p, today=TODAY)
            assert p.light == expected.light.value, p.name
            assert sorted(p.reason_list) == sorted(expected.reasons), p.name

    def test_recompute_is_audited_once_and_counts(self, session: Session, make_project: MakeProject) -> None:
        """One audit record tells how many projects were recomputed and how many changed."""
        make_project()
        result = service.recompute_all(session, actor=SYSTEM, today=TODAY)
        record = next(r for r in audit.recent(session) if r.action == "projects.lights.recompute")
        assert record.diff_data["projects"][1] == result.projects
        assert sum(result.counts.values()) == result.projects
        assert result.counts[Light.green] >= 1

    def test_order_light_is_stored_with_the_order_number(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """An unanswered order past its deadline makes the project red, naming the order."""
        p = make_project()
        order = supervision_service.issue_order(
            session, actor=SYSTEM, code=p.code, data=OrderIn(subject="报送进展")
        )
        order.reply_due = date(2025, 10, 27)
        session.flush()
        service.recompute_all(session, actor=SYSTEM, today=TODAY)
        session.refresh(p)
        number = session.get(SupervisionOrder, order.id)
        assert number is not None
        assert p.light == "red"
        assert number.number in p.light_reasons
        assert "未答复" in p.light_reasons
