"""免申即享 decisions on a real database: scoped and audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.policy.support import FIRST_CERT, YEAR, firm, yuan

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.policy.awards import service as award_service
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.models import Award
from longcheng.policy.runs.service import run_registry_batch
from longcheng.policy.schemas import AwardDecision, AwardFilter

OFFICER = Actor(id=None, username="o", role=Role.officer, display_name="市级", district=None)


XINBEI = Actor(id=None, username="x", role=Role.officer, display_name="新北", district="xinbei")


def _certified(session: Session, district: str = "xinbei") -> str:
    org = firm(session, district=district, tags=(("high_tech", date(2025, 5, 1)),), growth=None)
    return org.uscc


def _decide(session: Session, actor: Actor, usccs: list[str], **extra: object) -> int:
    data = AwardDecision.model_validate({"clause": FIRST_CERT, "year": YEAR, "usccs": usccs, **extra})
    return award_service.decide(session, actor=actor, data=data)


class TestAwards:
    def test_confirming_records_the_amount_and_an_audit_entry_on_the_firm(self, session: Session) -> None:
        """A confirmed firm shows 已确认 with the run's amount; its 痕迹 has the confirmation."""
        uscc = _certified(session)
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        assert _decide(session, OFFICER, [uscc], note="已核对认定名单") == 1
        listing = award_service.award_list(session, actor=OFFICER, filters=AwardFilter(clause=FIRST_CERT))
        assert [(r.result.uscc, r.status, r.result.amount_fen) for r in listing.items] == [
            (uscc, "confirmed", yuan("300,000"))
        ]
        actions = [r.action for r in audit.history(session, entity_type="org", entity_id=uscc)]
        assert "policy.award.confirm" in actions

    def test_a_changed_amount_needs_confirming_again(self, session: Session) -> None:
        """After a later run changes a confirmed amount, the row reads 金额有变化 until confirmed again."""
        org = firm(session, tags=(("high_tech", date(2025, 5, 1)),), growth=None)
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        _decide(session, OFFICER, [org.uscc])
        row = input_records.ParsedInput(
            2, org.uscc, YEAR, {"cultivation_reward_received": yuan("50,000")}, "培育"
        )
        input_records.write_inputs(session, actor=OFFICER, rows=[row])
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        listing = award_service.award_list(session, actor=OFFICER, filters=AwardFilter(clause=FIRST_CERT))
        assert [(r.status, r.result.amount_fen) for r in listing.items] == [("changed", yuan("250,000"))]
        pending = award_service.pending_usccs(session, actor=OFFICER, filters=AwardFilter(clause=FIRST_CERT))
        assert pending == [org.uscc]

    def test_a_firm_not_on_the_list_refuses_the_whole_request(self, session: Session) -> None:
        """One unknown USCC among valid ones: nothing is confirmed, and the message names it."""
        uscc = _certified(session)
        outsider = firm(session, tags=(), growth=None).uscc
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        with pytest.raises(ValidationFailed) as caught:
            _decide(session, OFFICER, [uscc, outsider])
        assert outsider in caught.value.message_text
        assert session.scalar(select(func.count(Award.id))) == 0

    def test_withholding_needs_a_reason(self, session: Session) -> None:
        """暂缓 without a reason is refused; with one it is stored and shown as 暂缓."""
        uscc = _certified(session)
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        with pytest.raises(ValidationFailed):
            _decide(session, OFFICER, [uscc], decision="withheld")
        _decide(session, OFFICER, [uscc], decision="withheld", note="存在失信记录，待核查")
        listing = award_service.award_list(
            session, actor=OFFICER, filters=AwardFilter(clause=FIRST_CERT, status="withheld")
        )
        assert [r.award.note for r in listing.items if r.award] == ["存在失信记录，待核查"]

    def test_district_officer_confirms_only_in_the_district(self, session: Session) -> None:
        """A 新北区 officer sees only 新北区 firms and may not confirm a 武进区 firm."""
        ours, theirs = _certified(session, "xinbei"), _certified(session, "wujin")
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        listing = award_service.award_list(session, actor=XINBEI, filters=AwardFilter(clause=FIRST_CERT))
        assert [r.result.uscc for r in listing.items] == [ours]
        with pytest.raises(PermissionDenied):
            _decide(session, XINBEI, [theirs])
