"""The policy services on a real database: registry-backed inputs, 政策一键查, runs and the push diff."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.policy.test_policy_service_support import GRANTS, RD, YEAR, firm, rd, tag, yuan

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.errors import PermissionDenied
from longcheng.policy import service
from longcheng.policy.engine.errors import InputError
from longcheng.policy.inbox import service as inbox_service
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.inputs.service.sources import build_columns
from longcheng.policy.models import Notification, Result
from longcheng.policy.runs.service import run_registry_batch

OFFICER = Actor(id=None, username="o", role=Role.officer, display_name="市级", district=None)
XINBEI = Actor(id=None, username="x", role=Role.officer, display_name="新北", district="xinbei")


def _enterprise(uscc: str) -> Actor:
    return Actor(id=None, username="e", role=Role.enterprise, display_name="企业", org_uscc=uscc)


class TestRegistryColumns:
    """How registry tags become the pack's inputs for a year (pure, no database)."""

    def _columns(self, tags: list[tuple[str, str, str | None, date, date | None]]) -> dict[str, object]:
        pack = service.get_pack()
        return build_columns(pack, ["A"], tags=tags, facts={}, records=[], year=YEAR)

    def _enum(self, columns: dict[str, object], name: str) -> str:
        spec = service.get_pack().variables[name]
        return spec.values[int(columns[name].values[0])]  # type: ignore[attr-defined]

    def test_a_tag_valid_on_any_day_of_the_year_counts(self) -> None:
        """A 高新技术企业 certificate that expired in March 2025 still makes the firm high-tech for 2025."""
        columns = self._columns([("A", "high_tech", "national", date(2022, 3, 1), date(2025, 2, 28))])
        assert self._enum(columns, "enterprise_type") == "high_tech"
        expired = self._columns([("A", "high_tech", "national", date(2020, 1, 1), date(2022, 12, 31))])
        assert self._enum(expired, "enterprise_type") == "other"

    def test_high_tech_wins_over_tech_sme(self) -> None:
        """A firm holding both labels reads as 高新技术企业; one with only 科技型中小企业 as that."""
        both = [
            ("A", "tech_sme", "national", date(2025, 1, 1), date(2025, 12, 31)),
            ("A", "high_tech", "national", date(2025, 5, 1), None),
        ]
        assert self._enum(self._columns(both), "enterprise_type") == "high_tech"
        assert self._enum(self._columns(both[:1]), "enterprise_type") == "tech_sme"

    def test_first_certification_is_the_earliest_certificate(self) -> None:
        """A renewal in 2025 is not a first certification; a first certificate in 2025 is."""
        renewal = [
            ("A", "high_tech", "national", date(2022, 5, 1), date(2025, 4, 30)),
            ("A", "high_tech", "national", date(2025, 5, 1), None),
        ]
        assert not self._columns(renewal)["high_tech_first_certified"].values[0]  # type: ignore[attr-defined]
        first = self._columns(renewal[1:])
        assert first["high_tech_first_certified"].values[0]  # type: ignore[attr-defined]

    def test_srdi_level_is_the_highest_and_little_giant_is_national(self) -> None:
        """小巨人 is the national level; a newly reached level is flagged; a level-less tag is city."""
        tags = [
            ("A", "srdi", "province", date(2023, 1, 1), None),
            ("A", "little_giant", "national", date(2025, 7, 1), None),
        ]
        columns = self._columns(tags)
        assert self._enum(columns, "srdi_level") == "national"
        assert columns["srdi_newly_recognised"].values[0]  # type: ignore[attr-defined]
        levelless = self._columns([("A", "srdi", None, date(2021, 1, 1), None)])
        assert self._enum(levelless, "srdi_level") == "city"
        assert not levelless["srdi_newly_recognised"].values[0]  # type: ignore[attr-defined]

    def test_missing_rd_year_is_unknown_not_zero(self) -> None:
        """Without last year's R&D figure the firm's row is marked unknown, so nobody is paid on a gap."""
        pack = service.get_pack()
        facts = {("A", "rd_spending", YEAR): 100}
        columns = build_columns(pack, ["A", "B"], tags=[], facts=facts, records=[], year=YEAR)
        known = columns[f"rd_spending@{YEAR - 1}"].known  # type: ignore[attr-defined]
        assert known is not None
        assert not np.any(known)


class TestLookup:
    """政策一键查 for one firm from registry data."""

    def test_rd_growth_two_million_pays_180000_exactly(self, session: Session) -> None:
        """High-tech, R&D grew by 2,000,000 yuan gets 180,000.00 (literal reading, unconfirmed)."""
        org = firm(session, growth="2,000,000")
        answer = service.lookup(session, actor=_enterprise(org.uscc), uscc=org.uscc, year=YEAR)
        rd_item = next(q for q in answer["qualifying"] if q["clause"] == RD)
        assert rd_item["amount"] == "180000.00"
        assert rd_item["reading"] == {**rd_item["reading"], "id": "literal", "confirmed": False}
        assert rd_item["other_readings"][0]["amount"] == "200000.00"
        assert [b["slice"] for b in rd_item["brackets"]][:2] == ["1800000.00", "0.00"]
        assert answer["total"] == "180000.00"

    def test_a_later_correction_replaces_the_first_figure(self, session: Session) -> None:
        """Two sources for 2025 R&D: the one recorded last is used (here growth 10,000,000 → 820,000.00)."""
        org = firm(session, growth="2,000,000", base="5,000,000")
        rd(session, org, {YEAR: "15,000,000"}, source="更正申报")
        answer = service.lookup(session, actor=SYSTEM, uscc=org.uscc, year=YEAR)
        assert next(q for q in answer["qualifying"] if q["clause"] == RD)["amount"] == "820000.00"

    def test_missing_last_year_is_reported_as_missing_data(self, session: Session) -> None:
        """Without the 2024 figure the R&D clause is not met for lack of data (never paid 0 silently)."""
        org = firm(session, growth=None)
        rd(session, org, {YEAR: "9,000,000"})
        answer = service.lookup(session, actor=SYSTEM, uscc=org.uscc, year=YEAR)
        row = next(n for n in answer["not_qualifying"] if n["clause"] == RD)
        assert row["reason"] == "缺少计算所需的数据"

    def test_imported_grants_are_matched(self, session: Session) -> None:
        """Grants recorded as policy inputs feed the 1:1 matching clause (300,000 → 300,000.00)."""
        org = firm(session, growth=None)
        row = input_records.ParsedInput(2, org.uscc, YEAR, {"provincial_grant": yuan("300,000")}, "省厅拨付")
        input_records.write_inputs(session, actor=SYSTEM, rows=[row])
        answer = service.lookup(session, actor=SYSTEM, uscc=org.uscc, year=YEAR)
        assert [(q["clause"], q["amount"]) for q in answer["qualifying"]] == [(GRANTS, "300000.00")]

    def test_year_outside_the_policy_is_refused(self, session: Session) -> None:
        """Asking for 2026 of a 2021–2025 policy is a clear error naming the years it covers."""
        org = firm(session)
        with pytest.raises(InputError) as caught:
            service.lookup(session, actor=SYSTEM, uscc=org.uscc, year=2026)
        assert caught.value.code_text == "policy.period_out_of_range"
        assert "2021–2025" in caught.value.message_text

    def test_enterprise_cannot_look_up_another_firm(self, session: Session) -> None:
        """An enterprise user asking for another firm's 一键查 is refused."""
        mine, other = firm(session), firm(session)
        with pytest.raises(PermissionDenied):
            service.lookup(session, actor=_enterprise(mine.uscc), uscc=other.uscc, year=YEAR)


class TestRuns:
    """Registry-backed runs, the stored qualifying set and the diff with the previous run."""

    def test_second_run_lists_new_dropped_and_changed_with_reasons(self, session: Session) -> None:
        """Changed R&D data: the amount change names the input that moved; dropped names the condition."""
        grows, falls = firm(session, name="常州增长科技有限公司"), firm(session, name="常州回落科技有限公司")
        late = firm(session, name="常州新进科技有限公司", tags=())
        first, _ = run_registry_batch(session, actor=OFFICER, year=YEAR)
        rd(session, grows, {YEAR: "8,000,000"}, source="更正")
        rd(session, falls, {YEAR: "5,100,000"}, source="更正")
        tag(session, late, "tech_sme", date(2025, 4, 1), date(2026, 3, 31))
        second, _ = run_registry_batch(session, actor=OFFICER, year=YEAR)
        assert second.previous_id == first.id
        notes = session.scalars(select(Notification).where(Notification.run_id == second.id)).all()
        by_firm = {(n.uscc, n.kind): n for n in notes}
        changed = by_firm[(grows.uscc, "changed")]
        assert (changed.previous_amount_fen, changed.amount_fen) == (yuan("180,000"), yuan("260,000"))
        assert "年度研发投入增长额：2,000,000.00 元 → 3,000,000.00 元" in changed.reason
        dropped = by_firm[(falls.uscc, "dropped")]
        assert "未满足条件：年度研发投入增长额达到20万元（含）以上" in dropped.reason
        assert by_firm[(late.uscc, "new")].amount_fen == yuan("180,000")
        assert (second.new_count, second.dropped_count, second.changed_count) == (1, 1, 1)

    def test_run_stores_exact_amounts_and_one_audit_record(self, session: Session) -> None:
        """Each qualifying pair is stored in fen with its basis; the run writes one audit record."""
        org = firm(session, growth="123,456,789.87")
        run, _ = run_registry_batch(session, actor=OFFICER, year=YEAR)
        stored = session.scalars(select(Result).where(Result.run_id == run.id, Result.uscc == org.uscc)).one()
        assert stored.amount_fen == 715827159
        assert stored.basis_data["年度研发投入增长额"] == "123,456,789.87 元"
        records = audit.history(session, entity_type="policy_run", entity_id=str(run.id))
        assert [r.action for r in records] == ["policy.run"]

    def test_without_notify_nothing_reaches_the_inbox(self, session: Session) -> None:
        """A run with notify off keeps its list for officers but sends no inbox message."""
        org = firm(session)
        run_registry_batch(session, actor=OFFICER, year=YEAR, notify=False)
        assert inbox_service.unread_count(session, actor=_enterprise(org.uscc)) == 0

    def test_district_officer_cannot_run_a_city_batch(self, session: Session) -> None:
        """A city-wide batch is refused to a district officer with a Chinese reason."""
        with pytest.raises(PermissionDenied) as caught:
            run_registry_batch(session, actor=XINBEI, year=YEAR)
        assert "市级" in caught.value.message_text
