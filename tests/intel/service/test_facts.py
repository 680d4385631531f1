"""Intel fact service: the projects hand-off.

The articles and firms here are invented for the tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session
from tests.factories import make_org
from tests.intel.service.stories import OFFICER, TWO_STORIES, store

from longcheng.core.actors import SYSTEM
from longcheng.intel import service as intel_service
from longcheng.intel.service import links


class TestHandOff:
    def test_facts_for_projects_are_plain_data(self, session: Session, tmp_path: Path) -> None:
        """Signing and start facts go to the projects module as plain dicts with their source."""
        store(session, tmp_path, TWO_STORIES)
        org = make_org(session, name="常州星河光伏科技有限公司")
        links.relink(session, actor=OFFICER, directory=links.load_directory(session, actor=SYSTEM))
        handed = intel_service.facts_for_projects(session)
        assert [(h["event"], h["amount_fen"]) for h in handed] == [
            ("signed", 185_000_000_000),
            ("started", 60_000_000_000),
        ]
        first = handed[0]
        assert first["source_ref"].startswith("intel:fact:")
        assert first["usccs"] == (org.uscc,)
        assert first["reported_on"] == date(2024, 3, 18)
        assert first["project_name"] == "高效光伏组件项目"
        assert "签约总投资18.5亿元" in first["sentence"]
        assert first["aggregate"] is False

    def test_an_article_repeating_a_fact_hands_it_over_once(self, session: Session, tmp_path: Path) -> None:
        """Title, lead and body repeat one signing (named by project, by firm, by nobody): one fact;
        the district total in the same article goes over marked as a total."""
        store(
            session,
            tmp_path,
            "青枫储能电站项目签约总投资12亿元\n2024-05-06\n"
            "近日，常州青枫储能科技有限公司与天宁区签约，协议投资12亿元建设储能电站项目。"
            "据介绍，该项目签约总投资12亿元。天宁区今年以来新签约储能项目9个，协议总投资61亿元。\n",
        )
        handed = intel_service.facts_for_projects(session)
        assert [(h["amount_fen"], h["aggregate"]) for h in handed] == [
            (12 * 10**10, False),
            (61 * 10**10, True),
        ]
