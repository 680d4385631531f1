"""Stage changes: reasons for going back or skipping, who may move a project, ceremonies all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.projects.conftest import MakeProject, days_ago

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.errors import Conflict, LongchengError, PermissionDenied, ValidationFailed
from longcheng.projects import service
from longcheng.projects.models import Ceremony, Project
from longcheng.projects.schedule.stages import Stage
from longcheng.projects.schemas import CeremonyIn, StageChange
from longcheng.projects.service.plan import nodes_of


def _move(
    session: Session,
    actor: Actor,
    code: str,
    stage: str,
    ago: int,
    reason: str = "",
    version: int | None = None,
) -> Project:
    data = StageChange(stage=Stage(stage), on=days_ago(ago), reason=reason, version=version)
    return service.change_stage(session, actor=actor, code=code, data=data)


class TestChangeStage:
    def test_one_step_forward_is_audited(self, session: Session, make_project: MakeProject) -> None:
        """签约 → 注册 needs no reason; the date is kept and the change is in the history."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        p = _move(session, SYSTEM, p.code, "registered", 30)
        assert p.stage == "registered"
        assert p.registered_on == days_ago(30)
        record = audit.history(session, entity_type="project", entity_id=p.code)[0]
        assert record.action == "projects.stage.change"
        assert "推进至“注册”" in record.reason

    def test_reaching_a_stage_closes_its_plan_node(self, session: Session, make_project: MakeProject) -> None:
        """Registering the company marks the plan's 项目公司注册 node done on that day."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        _move(session, SYSTEM, p.code, "registered", 30)
        node = next(n for n in nodes_of(session, p) if n.code == "company_registration")
        assert node.done_on == days_ago(30)

    def test_skipping_needs_a_reason(self, session: Session, make_project: MakeProject) -> None:
        """签约 → 开工 skips 注册: refused without a reason, accepted with one."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        with pytest.raises(ValidationFailed) as exc:
            _move(session, SYSTEM, p.code, "started", 10)
        assert exc.value.code_text == "projects.stage_skip_needs_reason"
        p = _move(session, SYSTEM, p.code, "started", 10, reason="借用已注册的子公司建设")
        assert p.stage == "started"
        assert (
            "借用已注册的子公司" in audit.history(session, entity_type="project", entity_id=p.code)[0].reason
        )

    def test_moving_back_clears_later_dates_and_reopens_nodes(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """Back from 开工 to 签约 (with a reason): the start date goes, the groundbreaking node reopens."""
        p = make_project(stage="signed", signed_on=days_ago(200))
        _move(session, SYSTEM, p.code, "registered", 150)
        _move(session, SYSTEM, p.code, "started", 100)
        with pytest.raises(ValidationFailed):
            _move(session, SYSTEM, p.code, "signed", 200)
        p = _move(session, SYSTEM, p.code, "signed", 200, reason="施工许可被撤销，重新办理")
        assert p.started_on is None
        assert p.registered_on is None
        assert p.signed_on == days_ago(200)
        ground = next(n for n in nodes_of(session, p) if n.code == "groundbreaking")
        assert ground.done_on is None

    def test_date_before_an_earlier_stage_is_refused(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """A start date before the signing date is refused and the stage stays."""
        p = make_project(stage="registered", signed_on=days_ago(60), registered_on=days_ago(50))
        with pytest.raises(ValidationFailed) as exc:
            _move(session, SYSTEM, p.code, "started", 70)
        assert exc.value.code_text == "projects.date_order"
        assert service.get(session, actor=SYSTEM, code=p.code).stage == "registered"

    def test_future_date_is_refused(self, session: Session, make_project: MakeProject) -> None:
        """Stage dates record what happened, so tomorrow is refused."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        with pytest.raises(ValidationFailed) as exc:
            _move(session, SYSTEM, p.code, "registered", -1)
        assert exc.value.code_text == "projects.date_in_future"

    def test_someone_not_responsible_gets_403(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A city-wide officer who is not on the project's task force cannot move it; nothing changes."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        with pytest.raises(PermissionDenied) as exc:
            _move(session, people["pcity"], p.code, "registered", 10)
        assert exc.value.code_text == "projects.not_responsible"
        with pytest.raises(LongchengError) as other:
            _move(session, people["pwujin"], p.code, "registered", 10)
        assert other.value.status_code == 404
        assert service.get(session, actor=SYSTEM, code=p.code).stage == "signed"

    def test_district_officer_and_leader_may_move(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """The district's officer and the project's leader answer for it."""
        p = make_project(stage="signed", signed_on=days_ago(60), leader_username="pleader")
        _move(session, people["pxinbei"], p.code, "registered", 30)
        assert _move(session, people["pleader"], p.code, "started", 10).stage == "started"

    def test_stale_version_gets_409(self, session: Session, make_project: MakeProject) -> None:
        """A stage form opened before someone else's change is refused as stale."""
        p = make_project(stage="signed", signed_on=days_ago(60))
        _move(session, SYSTEM, p.code, "registered", 30, version=1)
        with pytest.raises(Conflict) as exc:
            _move(session, SYSTEM, p.code, "started", 10, version=1)
        assert exc.value.code_text == "projects.stale_version"


class TestCeremony:
    def _ceremony(
        self,
        codes: list[str],
        *,
        kind: str = "start",
        name: str = "2026年三季度集中开工",
        ago: int = 5,
        reason: str = "",
    ) -> CeremonyIn:
        return CeremonyIn(kind=kind, name=name, held_on=days_ago(ago), codes=codes, reason=reason)

    def test_every_project_moves_and_joins_the_batch(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """集中开工: all projects start on the day, join the batch list, and each change is audited."""
        ps = [
            make_project(stage="registered", signed_on=days_ago(90), registered_on=days_ago(60))
            for _ in range(3)
        ]
        c = service.run_ceremony(session, actor=SYSTEM, data=self._ceremony([p.code for p in ps]))
        assert c.project_count == 3
        for p in ps:
            p = service.get(session, actor=SYSTEM, code=p.code)
            assert p.stage == "started"
            assert p.started_on == days_ago(5)
            assert "2026年三季度集中开工" in p.list_names
            assert "集中开工" in audit.history(session, entity_type="project", entity_id=p.code)[0].reason

    def test_one_refusal_changes_nothing(self, session: Session, make_project: MakeProject) -> None:
        """If one project cannot move (it would skip stages), no project moves and the refusal names it."""
        ok = make_project(stage="registered", signed_on=days_ago(90), registered_on=days_ago(60))
        lead = make_project()
        with pytest.raises(ValidationFailed) as exc:
            service.run_ceremony(session, actor=SYSTEM, data=self._ceremony([ok.code, lead.code]))
        assert exc.value.code_text == "projects.ceremony_refused"
        assert lead.code in exc.value.details
        assert service.get(session, actor=SYSTEM, code=ok.code).stage == "registered"
        assert session.scalar(select(Ceremony.id)) is None

    def test_bad_date_for_one_changes_nothing(self, session: Session, make_project: MakeProject) -> None:
        """A ceremony dated before one project's registration is refused for the whole batch."""
        early = make_project(stage="registered", signed_on=days_ago(90), registered_on=days_ago(60))
        late = make_project(stage="registered", signed_on=days_ago(20), registered_on=days_ago(3))
        with pytest.raises(ValidationFailed) as exc:
            service.run_ceremony(session, actor=SYSTEM, data=self._ceremony([early.code, late.code]))
        assert exc.value.code_text == "projects.ceremony_dates"
        assert list(exc.value.details) == [late.code]
        assert service.get(session, actor=SYSTEM, code=early.code).stage == "registered"

    def test_not_responsible_for_one_gets_403(
        self, session: Session, people: dict[str, Actor], make_project: MakeProject
    ) -> None:
        """A Xinbei officer cannot start a Wujin project in the same batch; nothing moves."""
        mine = make_project(stage="registered", signed_on=days_ago(90), registered_on=days_ago(60))
        theirs = make_project(
            stage="registered", signed_on=days_ago(90), registered_on=days_ago(60), district="wujin"
        )
        with pytest.raises(PermissionDenied):
            service.run_ceremony(
                session, actor=people["pxinbei"], data=self._ceremony([mine.code, theirs.code])
            )
        assert service.get(session, actor=SYSTEM, code=mine.code).stage == "registered"

    def test_unknown_code_and_duplicate_name(self, session: Session, make_project: MakeProject) -> None:
        """A code that does not exist, or a batch name used before, is refused."""
        p = make_project(stage="registered", signed_on=days_ago(90), registered_on=days_ago(60))
        with pytest.raises(ValidationFailed):
            service.run_ceremony(session, actor=SYSTEM, data=self._ceremony([p.code, "XM-NONE"]))
        service.run_ceremony(session, actor=SYSTEM, data=self._ceremony([p.code]))
        q = make_project(stage="registered", signed_on=days_ago(90), registered_on=days_ago(60))
        with pytest.raises(Conflict):
            service.run_ceremony(session, actor=SYSTEM, data=self._ceremony([q.code]))
