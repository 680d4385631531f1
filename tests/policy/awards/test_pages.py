"""The 免申即享 confirmation page over HTTP."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import bearer, login, make_user
from tests.policy.support import FIRST_CERT, YEAR, firm

from longcheng.core.actors import Role


class TestAwardsPage:
    def test_officer_confirms_ticked_firms(
        self, app_client: TestClient, session: Session, run_jobs: Callable[[], object]
    ) -> None:
        """Ticking a firm and confirming marks it 已确认; the page says how many were handled."""
        org = firm(session, name="常州首认科技有限公司", tags=(("high_tech", date(2025, 5, 1)),), growth=None)
        make_user(session, username="confirmer", role=Role.officer)
        session.commit()
        token = login(app_client, "confirmer")
        app_client.post("/policy/runs", data={"csrf_token": token, "year": str(YEAR)})
        run_jobs()
        page = app_client.get("/policy/awards", params={"clause": FIRST_CERT, "year": str(YEAR)})
        assert "常州首认科技有限公司" in page.text
        assert "待确认" in page.text
        form = {
            "csrf_token": token,
            "clause": FIRST_CERT,
            "year": str(YEAR),
            "uscc": org.uscc,
            "note": "已核",
        }
        done = app_client.post("/policy/awards/decide", data=form)
        assert 'id="decided"' in done.text
        assert "已处理 1 家企业" in done.text
        assert 'data-status="confirmed"' in done.text

    def test_auditor_cannot_confirm(self, app_client: TestClient, session: Session) -> None:
        """Auditors read the list but a confirmation from them is refused."""
        headers = bearer(session, make_user(session, username="aud2", role=Role.auditor))
        session.commit()
        body = {"clause": FIRST_CERT, "year": YEAR, "usccs": ["91320411MA1XXXXXX5"]}
        assert (
            app_client.post("/api/v1/policy/awards/decisions", json=body, headers=headers).status_code == 403
        )
        assert app_client.get("/api/v1/policy/awards", headers=headers).status_code == 200
