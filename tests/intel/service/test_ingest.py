"""Intel ingest service: storing articles once, with their dates, places and links.

The articles and firms here are invented for the tests.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.factories import make_org
from tests.intel.service.stories import OFFICER, TWO_STORIES, store

from longcheng.core.actors import Actor, Role
from longcheng.core.errors import PermissionDenied
from longcheng.intel import service as intel_service
from longcheng.intel.models import Article, Fact
from longcheng.intel.service.ingest import extraction_base, ingest_upload


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
