"""The policy services on a real database: 政策一键查."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.policy.support import GRANTS, RD, YEAR, firm, rd, yuan

from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.errors import NotFound
from longcheng.policy import service
from longcheng.policy.engine.errors import InputError
from longcheng.policy.inputs.service import records as input_records


def _enterprise(uscc: str) -> Actor:
    return Actor(id=None, username="e", role=Role.enterprise, display_name="企业", org_uscc=uscc)


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
        """An enterprise user asking for another firm's 一键查 is told no such firm (as for a wrong code)."""
        mine, other = firm(session), firm(session)
        with pytest.raises(NotFound):
            service.lookup(session, actor=_enterprise(mine.uscc), uscc=other.uscc, year=YEAR)
