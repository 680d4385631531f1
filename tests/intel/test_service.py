"""Intel services: linking names to the registry, storing articles once, the projects hand-off.

The articles and firms here are invented for the tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import make_org

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.errors import PermissionDenied
from longcheng.intel import service as intel_service
from longcheng.intel import service_link as links
from longcheng.intel.link import OrgDirectory, OrgName
from longcheng.intel.models import Article, Fact, Link
from longcheng.intel.service_ingest import extraction_base, ingest_upload

TWO_STORIES = (
    "星河光伏高效组件项目落户常州经开区\n2024-03-18\n"
    "本月，常州星河光伏科技有限公司与常州经开区管委会签约总投资18.5亿元的高效光伏组件项目。\n"
    "\n\n"
    "龙腾特钢绿色循环项目在武进开工\n2023-11-02\n"
    "近日，龙腾特钢集团绿色循环提升项目在武进国家高新区开工，项目总投资6亿元。\n"
)
OFFICER = Actor(id=None, username="officer", role=Role.officer, display_name="测试工作人员")


def store(session: Session, tmp_path: Path, text: str, name: str = "news.txt") -> int:
    outcome = ingest_upload(
        session, actor=OFFICER, data_dir=tmp_path, max_bytes=1 << 20, data=text.encode(), name=name
    )
    assert outcome.status == "stored", outcome.message
    assert outcome.document_id is not None
    return outcome.document_id


class TestDirectory:
    directory = OrgDirectory(
        [
            OrgName("A", "常州星河光伏科技有限公司", ("常州星河新能源有限公司",)),
            OrgName("B", "江苏龙腾特钢集团有限公司"),
            OrgName("C", "常州天目湖储能有限公司"),
            OrgName("D", "溧阳天目湖储能有限公司"),
        ]
    )

    def test_exact_and_former_names_link_automatically(self) -> None:
        """The registry name, or a former name, is a link without review."""
        [exact] = self.directory.match("常州星河光伏科技有限公司")
        [former] = self.directory.match("常州星河新能源有限公司")
        assert (exact.uscc, exact.method, exact.auto) == ("A", "exact", True)
        assert (former.uscc, former.method, former.auto) == ("A", "former_name", True)

    def test_the_same_core_name_links_automatically(self) -> None:
        """ "龙腾特钢集团" is 江苏龙腾特钢集团有限公司 without region and legal form."""
        [found] = self.directory.match("龙腾特钢集团")
        assert (found.uscc, found.method, found.auto) == ("B", "fuzzy", True)

    def test_ambiguous_or_loose_names_wait_for_review(self) -> None:
        """Two firms with the same core, or a near name, are proposals, never automatic."""
        twins = self.directory.match("天目湖储能公司")
        assert {c.uscc for c in twins} == {"C", "D"}
        assert not any(c.auto for c in twins)
        [near] = self.directory.match("星河光伏集团")
        assert (near.uscc, near.auto) == ("A", False)
        assert 70 <= near.score < 92

    def test_unrelated_names_find_nothing(self) -> None:
        """A name sharing no distinctive part with the registry gives no candidate."""
        assert self.directory.match("中天钢铁集团") == []


class TestIngest:
    def test_articles_in_one_file_are_stored_with_their_dates(self, session: Session, tmp_path: Path) -> None:
        """A file of two articles stores both, each with its own publication date and facts."""
        document_id = store(session, tmp_path, TWO_STORIES)
        articles = list(session.scalars(select(Article).where(Article.document_id == document_id)))
        assert [(a.title[:4], a.published) for a in articles] == [
            ("星河光伏", date(2024, 3, 18)),
            ("龙腾特钢", date(2023, 11, 2)),
        ]
        facts = list(session.scalars(select(Fact).order_by(Fact.article_id)))
        assert [(f.cue, f.event, f.month, f.district) for f in facts] == [
            ("签约总投资18.5亿元", "signed", "2024-03", "wujin"),
            ("总投资6亿元", "started", "2023-11", "wujin"),
        ]

    def test_an_article_already_stored_is_not_stored_again(self, session: Session, tmp_path: Path) -> None:
        """A new file holding one known and one new article stores only the new one."""
        store(session, tmp_path, TWO_STORIES.split("\n\n\n")[0] + "\n")
        outcome = ingest_upload(
            session,
            actor=OFFICER,
            data_dir=tmp_path,
            max_bytes=1 << 20,
            data=TWO_STORIES.encode(),
            name="b.txt",
        )
        assert (outcome.status, outcome.articles, outcome.duplicate_articles) == ("stored", 1, 1)
        assert len(list(session.scalars(select(Article)))) == 2

    def test_the_file_and_its_text_are_kept_content_addressed(self, session: Session, tmp_path: Path) -> None:
        """The original bytes and the decoded text can be read back from the file store."""
        document_id = store(session, tmp_path, TWO_STORIES)
        document = intel_service.get_document(session, actor=OFFICER, document_id=document_id)
        assert intel_service.original(document, actor=OFFICER, data_dir=tmp_path) == TWO_STORIES.encode()
        assert intel_service.decoded_text(document, actor=OFFICER, data_dir=tmp_path) == TWO_STORIES
        assert (tmp_path / "files" / document.sha256[:2] / document.sha256).exists()

    def test_a_firm_registered_since_the_last_upload_is_recognised(
        self, session: Session, tmp_path: Path
    ) -> None:
        """The registry names an upload uses are loaded again once the registry has changed."""
        first, second = TWO_STORIES.split("\n\n\n")
        store(session, tmp_path, first + "\n", "a.txt")
        org = make_org(session, name="江苏龙腾特钢集团有限公司", district="wujin")
        store(session, tmp_path, second, "b.txt")
        fact = session.scalars(select(Fact).where(Fact.org == "龙腾特钢集团")).one()
        assert fact.org_uscc == org.uscc

    def test_an_auditor_cannot_ingest(self, session: Session, tmp_path: Path) -> None:
        """Ingest is an analyst's action."""
        auditor = Actor(id=None, username="a", role=Role.auditor)
        with pytest.raises(PermissionDenied):
            ingest_upload(
                session, actor=auditor, data_dir=tmp_path, max_bytes=1 << 20, data=b"x", name="a.txt"
            )

    @pytest.mark.parametrize(
        ("published", "precision", "base"),
        [
            (date(2021, 1, 1), "year", date(2021, 12, 31)),
            (date(2024, 2, 1), "month", date(2024, 2, 29)),
            (date(2024, 3, 18), "day", date(2024, 3, 18)),
            (None, None, None),
        ],
    )
    def test_relative_dates_resolve_against_the_end_of_a_vague_date(
        self, published: date | None, precision: str | None, base: date | None
    ) -> None:
        """An article dated only "2021" reads "今年3月" as 2021-03, not as March of the year before."""
        assert extraction_base(published, precision) == base


class TestExtractionInContext:
    STORY = (
        "溧阳锂电材料产业园项目（二期）开工\n2024-05-06\n总投资约120亿元\n"
        "日前，项目举行开工仪式。全市今年在建及拟建重点项目31个、投资总额约226亿元。园区交易融资额突破10亿元。\n"
    )

    def test_headline_events_and_compound_cues(self, session: Session, tmp_path: Path) -> None:
        """A deck under a headline takes its event; 在建及拟建 is building; 交易融资额 is not funding."""
        store(session, tmp_path, self.STORY)
        facts = {f.amount_text: f for f in session.scalars(select(Fact))}
        assert (facts["约120亿元"].kind, facts["约120亿元"].event) == ("investment", "started")
        assert (facts["约226亿元"].kind, facts["约226亿元"].event) == ("investment", "building")
        assert (facts["突破10亿元"].kind, facts["突破10亿元"].event) == ("other", None)

    def test_a_sentence_without_a_place_takes_the_article_district(
        self, session: Session, tmp_path: Path
    ) -> None:
        """The headline names 溧阳: facts of sentences naming no place count for that district."""
        store(session, tmp_path, self.STORY)
        assert {(f.place, f.district) for f in session.scalars(select(Fact))} == {(None, "liyang")}


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
