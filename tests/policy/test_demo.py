"""The demo seed: qualifying firms, two runs with a real push list, and the showcase firm's amounts."""

from __future__ import annotations

from sqlalchemy.orm import Session

from longcheng.core.actors import SYSTEM
from longcheng.policy import demo, service
from longcheng.policy.models import Run
from longcheng.registry import demo as registry_demo


def test_demo_gives_every_page_something_to_show(session: Session) -> None:
    """After seeding, run 2 has changes, and the demo firm gets 180,000.00 and 300,000.00 in 一键查."""
    registry_demo.seed(session, actor=SYSTEM, count=400, seed=7)
    showcase = next(registry_demo.generate(1, seed=7))["uscc"]
    done = demo.seed(session, actor=SYSTEM, showcase_uscc=showcase)
    second = session.get(Run, done["runs"][1])
    assert second is not None
    assert second.qualifying > 50
    assert second.changed_count >= 1
    assert done["confirmed"] == 5
    answer = service.lookup(session, actor=SYSTEM, uscc=showcase, year=done["year"])
    amounts = {q["clause"]: q["amount"] for q in answer["qualifying"]}
    assert amounts["innovation.rd_growth_reward"] == "180000.00"
    assert amounts["innovation.grant_matching"] == "300000.00"
