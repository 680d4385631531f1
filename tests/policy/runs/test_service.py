"""The runs service on a real database: registry-backed runs and the push diff."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.policy.support import YEAR, firm, rd, tag, yuan

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.errors import PermissionDenied
from longcheng.policy.inbox import service as inbox_service
from longcheng.policy.models import Notification, Result
from longcheng.policy.runs.service import run_registry_batch

OFFICER = Actor(id=None, username="o", role=Role.officer, display_name="市级", district=None)


XINBEI = Actor(id=None, username="x", role=Role.officer, display_name="新北", district="xinbei")


def _enterprise(uscc: str) -> Actor:
    return Actor(id=None, username="e", role=Role.enterprise, display_name="企业", org_uscc=uscc)


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
