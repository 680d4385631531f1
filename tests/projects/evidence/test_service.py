"""News facts as evidence: matched to the right project, proposed once, decided by an officer; leads."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session
from tests.factories import make_org
from tests.projects.conftest import MakeProject

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor
from longcheng.core.errors import Conflict, LongchengError
from longcheng.projects.evidence import service as evidence_service
from longcheng.projects.evidence.matching import EvidenceCandidate, normalise_org, similarity
from longcheng.projects.models import Project

YI = 10**10


def _fact(ref: str, **fields: object) -> EvidenceCandidate:
    base: dict[str, object] = {
        "source_ref": ref,
        "sentence": "（测试）某公司项目签约落户。",
        "event": "signed",
        "reported_on": date(2025, 8, 13),
        "cue": "签约总投资101亿元",
    }
    base.update(fields)
    return EvidenceCandidate(**base)  # type: ignore[arg-type]


@pytest.fixture
def battery(make_project: MakeProject) -> Project:
    return make_project(
        name="年产20GWh动力电池项目",
        investors=[{"name": "江苏天目湖动力（常州）股份有限公司"}],
        total_investment="101亿元",
        agreed_investment="100亿元",
        district="xinbei",
    )


class TestMatching:
    def test_names_compare_without_legal_forms_and_places(self) -> None:
        """``江苏天目湖动力（常州）股份有限公司`` and ``天目湖动力`` are the same firm."""
        assert normalise_org("江苏天目湖动力（常州）股份有限公司") == "天目湖动力"
        assert (
            similarity(normalise_org("天目湖动力有限公司"), normalise_org("江苏天目湖动力股份有限公司"))
            == 1.0
        )

    def test_matching_fact_is_proposed_on_the_right_project(
        self, session: Session, battery: Project, make_project: MakeProject
    ) -> None:
        """Investor name, amount and district agree: a proposal with its reasons, on that project only."""
        other = make_project(name="高端医疗器械项目", investors=[{"name": "延陵医疗科技有限公司"}])
        out = evidence_service.propose_evidence(
            session,
            actor=SYSTEM,
            candidates=[_fact("fact-1", org_names=("天目湖动力",), amount_fen=101 * YI, district="xinbei")],
        )
        assert [e.project_id for e in out.proposed] == [battery.id]
        ev = out.proposed[0]
        assert ev.status == "proposed"
        assert "投资方名称相符" in ev.reason_list
        assert "金额相符" in ev.reason_list
        assert evidence_service.evidence_of(session, other) == []
        code = battery.code
        assert (
            audit.history(session, entity_type="project", entity_id=code)[0].action
            == "projects.evidence.propose"
        )

    def test_uscc_alone_identifies_the_investor(self, session: Session, make_project: MakeProject) -> None:
        """A fact naming the investor's USCC matches even when the name is written differently."""
        org = make_org(session, name="常州测试智造装备有限公司")
        p = make_project(investors=[{"uscc": org.uscc}])
        out = evidence_service.propose_evidence(
            session, actor=SYSTEM, candidates=[_fact("fact-2", usccs=(org.uscc,), org_names=("某智造企业",))]
        )
        assert [e.project_id for e in out.proposed] == [p.id]

    def test_same_investor_in_another_district_is_not_taken(self, session: Session, battery: Project) -> None:
        """Only the investor's name agrees and the district differs: no proposal."""
        out = evidence_service.propose_evidence(
            session,
            actor=SYSTEM,
            candidates=[_fact("fact-3", org_names=("天目湖动力",), district="liyang", event="completed")],
        )
        assert out.proposed == []
        assert out.unmatched == 1

    def test_the_same_fact_is_stored_once(self, session: Session, battery: Project) -> None:
        """The intel module may offer a fact again; it is not proposed twice."""
        fact = _fact("fact-4", org_names=("天目湖动力",), amount_fen=101 * YI, district="xinbei")
        evidence_service.propose_evidence(session, actor=SYSTEM, candidates=[fact])
        again = evidence_service.propose_evidence(session, actor=SYSTEM, candidates=[fact])
        assert again.proposed == []
        assert again.duplicates == 1

    def test_a_fact_fitting_two_projects_is_stored_once_on_the_best(
        self, session: Session, battery: Project, make_project: MakeProject
    ) -> None:
        """The same investor has two projects: the fact goes to the one whose amount agrees, only."""
        make_project(
            name="储能系统集成项目",
            investors=[{"name": "江苏天目湖动力（常州）股份有限公司"}],
            total_investment="3亿元",
            district="xinbei",
        )
        fact = _fact("fact-9", org_names=("天目湖动力",), amount_fen=101 * YI, district="xinbei")
        out = evidence_service.propose_evidence(session, actor=SYSTEM, candidates=[fact])
        assert [e.project_id for e in out.proposed] == [battery.id]

    def test_a_fact_offered_again_after_the_projects_changed_is_not_stored_again(
        self, session: Session, make_project: MakeProject
    ) -> None:
        """A lead today; the investor's project registered tomorrow; the fact offered again: still one row."""
        fact = _fact("fact-10", org_names=("滆湖智算科技有限公司",), amount_fen=20 * YI, district="wujin")
        first = evidence_service.propose_evidence(session, actor=SYSTEM, candidates=[fact])
        assert len(first.leads) == 1
        make_project(name="智算中心项目", investors=[{"name": "滆湖智算科技有限公司"}], district="wujin")
        again = evidence_service.propose_evidence(session, actor=SYSTEM, candidates=[fact])
        assert (again.proposed, again.leads, again.duplicates) == ([], [], 1)

    def test_a_total_of_many_projects_is_never_evidence_nor_a_lead(
        self, session: Session, battery: Project
    ) -> None:
        """ "新签约项目34个，协议总投资149亿元" names no project; even with an investor it is no one's."""
        total = _fact(
            "fact-11",
            sentence="（测试）新北区新签约项目34个，协议总投资149亿元。",
            org_names=("天目湖动力",),
            amount_fen=149 * YI,
            district="xinbei",
            aggregate=True,
        )
        nameless = _fact("fact-12", amount_fen=9 * YI, district="xinbei")
        out = evidence_service.propose_evidence(session, actor=SYSTEM, candidates=[total, nameless])
        assert (out.proposed, out.leads, out.unmatched) == ([], [], 2)


class TestDecisions:
    def test_officer_accepts_once(self, session: Session, people: dict[str, Actor], battery: Project) -> None:
        """The district officer accepts; the decision is audited; deciding again is a conflict."""
        ev = evidence_service.propose_evidence(
            session,
            actor=SYSTEM,
            candidates=[_fact("fact-5", org_names=("天目湖动力",), amount_fen=101 * YI, district="xinbei")],
        ).proposed[0]
        evidence_service.decide_evidence(
            session, actor=people["pxinbei"], evidence_id=ev.id, accept=True, note="与协议一致"
        )
        assert ev.status == "accepted"
        assert ev.decided_by.startswith("pxinbei")
        record = audit.history(session, entity_type="project", entity_id=battery.code)[0]
        assert record.action == "projects.evidence.accept"
        assert record.reason == "与协议一致"
        with pytest.raises(Conflict):
            evidence_service.decide_evidence(
                session, actor=people["pxinbei"], evidence_id=ev.id, accept=False
            )

    def test_other_district_cannot_decide(
        self, session: Session, people: dict[str, Actor], battery: Project
    ) -> None:
        """A Wujin officer cannot reject evidence on a Xinbei project."""
        ev = evidence_service.propose_evidence(
            session,
            actor=SYSTEM,
            candidates=[_fact("fact-6", org_names=("天目湖动力",), amount_fen=101 * YI, district="xinbei")],
        ).proposed[0]
        with pytest.raises(LongchengError) as exc:
            evidence_service.decide_evidence(session, actor=people["pwujin"], evidence_id=ev.id, accept=False)
        assert exc.value.status_code == 404
        assert ev.status == "proposed"


class TestLeads:
    def test_unmatched_signing_becomes_a_lead_and_then_a_project(
        self, session: Session, people: dict[str, Actor]
    ) -> None:
        """A signing nobody knows is listed as a possible lead; converting it registers a 线索 project."""
        out = evidence_service.propose_evidence(
            session,
            actor=SYSTEM,
            candidates=[
                _fact(
                    "fact-7",
                    org_names=("滆湖智算科技有限公司",),
                    amount_fen=20 * YI,
                    district="wujin",
                    cue="签约总投资20亿元",
                )
            ],
        )
        assert out.proposed == []
        assert len(out.leads) == 1
        leads = evidence_service.list_leads(session, actor=people["pwujin"])
        assert [e.source_ref for e in leads.items] == ["fact-7"]
        assert evidence_service.list_leads(session, actor=people["pxinbei"]).total == 0
        project = evidence_service.convert_lead(
            session,
            actor=people["pwujin"],
            evidence_id=out.leads[0].id,
            name="滆湖智算中心项目",
            district="wujin",
        )
        assert project.stage == "lead"
        assert project.investor_names == "滆湖智算科技有限公司"
        assert [e.status for e in evidence_service.evidence_of(session, project)] == ["accepted"]
        assert evidence_service.list_leads(session, actor=people["pwujin"]).total == 0

    def test_lead_can_be_dismissed(self, session: Session) -> None:
        """A lead that is not worth following is dismissed with a reason, and leaves the list."""
        out = evidence_service.propose_evidence(
            session, actor=SYSTEM, candidates=[_fact("fact-8", org_names=("某外地企业",), event="started")]
        )
        evidence_service.dismiss_lead(session, actor=SYSTEM, evidence_id=out.leads[0].id, reason="非本市项目")
        assert evidence_service.list_leads(session, actor=SYSTEM).total == 0
