"""免申即享 decisions and the import of policy-owned inputs: all or nothing, scoped, audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.policy.test_policy_service_support import FIRST_CERT, YEAR, firm, rd, yuan

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.policy.awards import service as award_service
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.models import Award, InputRecord
from longcheng.policy.runs.service import run_registry_batch
from longcheng.policy.schemas import AwardDecision, AwardFilter

OFFICER = Actor(id=None, username="o", role=Role.officer, display_name="市级", district=None)
XINBEI = Actor(id=None, username="x", role=Role.officer, display_name="新北", district="xinbei")
MAX = 5 * 1024 * 1024


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


class TestInputImport:
    def _csv(self, tmp_path: Path, rows: list[str]) -> Path:
        path = tmp_path / "inputs.csv"
        header = ",".join(
            [
                "统一社会信用代码",
                "年度",
                "当年获得国家级科技项目资助（元）",
                "国家级与省级资助为同一项目（是/否）",
                "数据来源",
            ]
        )
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    def test_a_good_file_is_written_and_audited(self, session: Session, tmp_path: Path) -> None:
        """Amounts in 元 (including 50万) are stored in fen; each firm-year gets one audit record."""
        a, b = firm(session, growth=None), firm(session, growth=None)
        path = self._csv(tmp_path, [f"{a.uscc},2025,50万,否,科技部", f'{b.uscc},2025,"1,234.56",是,科技部'])
        report = input_records.run_import(session, actor=OFFICER, path=path, max_bytes=MAX)
        assert report.ok
        assert report.written == 2
        values = dict(
            session.execute(
                select(InputRecord.uscc, InputRecord.value).where(InputRecord.name == "national_grant")
            ).all()
        )
        assert values == {a.uscc: yuan("500,000"), b.uscc: yuan("1,234.56")}
        assert [r.action for r in audit.history(session, entity_type="org", entity_id=a.uscc)][0] == (
            "policy.input.import"
        )

    def test_any_bad_cell_writes_nothing_and_every_error_is_listed(
        self, session: Session, tmp_path: Path
    ) -> None:
        """Scientific notation, an unregistered firm and a year outside the policy: three errors, no rows."""
        a = firm(session, growth=None)
        path = self._csv(
            tmp_path,
            [f"{a.uscc},2025,1.2e8,否,", "91320411MA1XXXXXX5,2025,100,否,", f"{a.uscc},2019,100,否,"],
        )
        report = input_records.run_import(session, actor=OFFICER, path=path, max_bytes=MAX)
        assert not report.ok
        columns = {(e.line, e.column) for e in report.errors}
        assert (2, "当年获得国家级科技项目资助（元）") in columns
        assert any(line == 3 and col == "统一社会信用代码" for line, col in columns)
        assert (4, "年度") in columns
        assert session.scalar(select(func.count(InputRecord.id))) == 0

    def test_district_officer_cannot_import_for_another_district(
        self, session: Session, tmp_path: Path
    ) -> None:
        """A 新北区 officer's file naming a 武进区 firm is refused for that row."""
        other = firm(session, district="wujin", growth=None)
        report = input_records.run_import(
            session, actor=XINBEI, path=self._csv(tmp_path, [f"{other.uscc},2025,100,否,"]), max_bytes=MAX
        )
        assert [e.message for e in report.errors] == [f"{other.uscc} 不在您所辖区域内，无权导入"]

    def test_imported_input_changes_the_next_run(self, session: Session) -> None:
        """A grant imported after a run makes the firm newly qualify for matching in the next run."""
        org = firm(session, growth=None)
        rd(session, org, {YEAR: "1"})
        run_registry_batch(session, actor=OFFICER, year=YEAR)
        row = input_records.ParsedInput(2, org.uscc, YEAR, {"national_grant": yuan("2,000,000")}, "科技部")
        input_records.write_inputs(session, actor=OFFICER, rows=[row])
        second, _ = run_registry_batch(session, actor=OFFICER, year=YEAR)
        assert second.new_count == 1
