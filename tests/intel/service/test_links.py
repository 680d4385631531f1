"""Intel link service: relinking, manual links with their 痕迹, and places.

The articles and firms here are invented for the tests.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import make_org
from tests.intel.service.stories import OFFICER, TWO_STORIES, store

from longcheng.core import audit
from longcheng.core.actors import SYSTEM
from longcheng.intel import service as intel_service
from longcheng.intel.models import Fact, Link
from longcheng.intel.service import links


class TestLinks:
    def test_a_new_firm_is_linked_by_relink(self, session: Session, tmp_path: Path) -> None:
        """Facts naming a firm registered later are linked when links are computed again."""
        store(session, tmp_path, TWO_STORIES)
        fact = session.scalars(select(Fact).where(Fact.org == "龙腾特钢集团")).one()
        assert fact.org_uscc is None
        org = make_org(session, name="江苏龙腾特钢集团有限公司", district="wujin")
        counts = links.relink(session, actor=OFFICER, directory=links.load_directory(session, actor=SYSTEM))
        assert counts.auto == 1
        assert fact.org_uscc == org.uscc

    def test_manual_link_is_confirmed_and_audited(self, session: Session, tmp_path: Path) -> None:
        """An analyst links a fact by USCC; the link is confirmed and both records are kept."""
        store(session, tmp_path, TWO_STORIES)
        org = make_org(session, name="常州毫不相干有限公司")
        fact = session.scalars(select(Fact).where(Fact.cue == "总投资6亿元")).one()
        link = links.link_manually(session, actor=OFFICER, fact=fact, uscc=org.uscc, reason="电话核实")
        assert (link.status, link.method, fact.org_uscc) == ("confirmed", "manual", org.uscc)
        actions = [r.action for r in intel_service.history(session, actor=OFFICER, fact=fact)]
        assert actions == ["intel.fact.update", "intel.link.confirm"]
        assert (
            audit.history(session, entity_type="intel_link", entity_id=str(link.id))[0].reason == "电话核实"
        )

    def test_places_link_to_registry_places(self, session: Session, tmp_path: Path) -> None:
        """A fact naming a zone links to that registry zone automatically."""
        store(session, tmp_path, TWO_STORIES)
        places = {
            (k.target, k.status) for k in session.scalars(select(Link).where(Link.target_type == "place"))
        }
        assert places == {("cz_etdz", "auto"), ("wj_hitech", "auto")}
