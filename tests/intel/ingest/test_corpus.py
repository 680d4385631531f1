"""Ingest of the real corpus files: how many articles each holds, their titles and dates.

Expected values were checked by hand against ../shared/corpus; only short cues are stored.
"""

from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import pytest

from longcheng.intel.ingest import (
    Article,
    IngestResult,
    content_hash,
    ingest_file,
    read_text,
    split_articles,
)

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")


def _ingest(prefix: str) -> IngestResult:
    return ingest_file(next(CORPUS.glob(f"{prefix}_*.txt")))


def _corpus_text(prefix: str) -> str:
    return next(CORPUS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _assert_maps_to_file(article: Article, text: str) -> None:
    for piece in article.pieces:
        own = article.text[piece.text_start : piece.text_start + piece.length]
        assert own == text[piece.file_start : piece.file_start + piece.length]


class TestDatedFeed:
    """000: a feed of records "-", title, body, date line."""

    def test_every_record_is_an_article_with_its_date(self) -> None:
        """Ten records give ten articles, dated by the line under each body."""
        articles = _ingest("000").articles
        assert len(articles) == 10
        assert [a.date for a in articles] == [date(2025, 8, 13)] * 9 + [date(2025, 8, 12)]
        assert all(a.date_precision == "day" for a in articles)

    def test_titles_are_the_line_above_each_body(self) -> None:
        """The title is the headline, not the separator or the body."""
        articles = _ingest("000").articles
        assert articles[0].title.startswith("常州科教城推进中科院创新平台整合")
        assert articles[7].title.startswith("中天钢铁携手常州经开区签约")
        assert all(20 <= len(a.title) <= 30 for a in articles)
        assert "总投资101亿元" in articles[7].body

    def test_page_trailer_is_not_an_article(self) -> None:
        """The contribute/contact links after the last record are dropped."""
        result = _ingest("000")
        assert all("点我投稿" not in a.body and "联系我们" not in a.body for a in result.articles)
        assert result.warnings == ()

    def test_offsets_point_into_the_file(self) -> None:
        """Each article's title starts at its start offset; every piece maps back exactly."""
        result = _ingest("000")
        for article in result.articles:
            assert result.text[article.start :].startswith(article.title)
            assert result.text[: article.end].endswith(article.date_text or "")
            _assert_maps_to_file(article, result.text)


class TestNewspaperPage:
    """001: a district newspaper page, stories opened by 本报讯, no dates."""

    def test_stories_and_their_headlines(self) -> None:
        """Four 本报讯 stories and the closing photo story are five articles."""
        articles = _ingest("001").articles
        assert len(articles) == 5
        assert articles[0].title.startswith("武进区党政代表团赴盐城市阜宁县考察交流")
        assert articles[1].title == "全区科技创新 半年度工作会议举行"
        assert articles[2].title == "常州石墨烯小镇再获“金字招牌”"
        assert articles[3].title == "高新区滨湖文隽企业服务中心投用"
        assert all(a.body.startswith("本报讯") for a in articles[:4])
        assert "总投资约为4.15亿元" in articles[4].body

    def test_lines_broken_by_the_layout_are_rejoined(self) -> None:
        """A word split over two lines ("交通设" / "施") reads whole again."""
        articles = _ingest("001").articles
        assert "鲸华交通设施、化工机械" in articles[0].body
        assert "作为高新区产城融合" in articles[3].body

    def test_undated_stories_are_reported(self) -> None:
        """No date is invented; the analyst is told how many lack one."""
        result = _ingest("001")
        assert all(a.date is None for a in result.articles)
        assert [w.code for w in result.warnings] == ["intel.no_date"]


class TestWebPage:
    """002 and 003: one article in a web page's chrome."""

    def test_related_list_contact_and_share_blocks_are_stripped(self) -> None:
        """002 has one article; its ad block, copyright, share line and related list are gone."""
        articles = _ingest("002").articles
        assert len(articles) == 1
        article = articles[0]
        assert article.title == "江苏常州高质量推进“五大明星城”建设"
        for cue in (
            "当前位置",
            "13391219793",
            "扫一扫",
            "版权声明",
            "分享给朋友",
            "相关文章",
            "加大产业扶持",
        ):
            assert cue not in article.text
        assert article.body.startswith("上世纪80年代")

    def test_date_without_year_is_kept_as_written(self) -> None:
        """ "8个月前 (09-24)" has no year: no date, but the written form is kept."""
        article = _ingest("002").articles[0]
        assert article.date is None
        assert article.date_text == "09-24"

    def test_date_spread_over_lines_and_source(self) -> None:
        """003's date is printed as 2024 / 08/29 / 15:53; 来源 names the publisher."""
        article = _ingest("003").articles[0]
        assert article.title.startswith("常州国家高新区32周年")
        assert article.date == date(2024, 8, 29)
        assert article.source == "常州发布"
        for cue in ("江苏切换", "来源", "免责声明", "service@", "15:53", "GAOXINQU"):
            assert cue not in article.text
        assert article.body.startswith("发展出题目")


class TestMagazine:
    """004: an issue of 《常州科技》 split by its contents list."""

    def test_every_listed_article_is_found(self) -> None:
        """The 25 contents entries give 25 articles, front matter excluded."""
        articles = _ingest("004").articles
        assert len(articles) == 25
        titles = [a.title for a in articles]
        assert "钟楼区：加速推进重大项目" in titles
        assert "常州：企业加大研发投入“有名有利”" in titles
        assert titles[2] == "精彩纷呈 2021 常州国际创客周活动扫描"
        assert titles[17].startswith("新北区科技镇长团第四期活动—— 绿色低碳")
        assert all("编辑委员会" not in a.text and "准印证号" not in a.text for a in articles)

    def test_issue_year_dates_every_article(self) -> None:
        """ "2021年第6期" gives the year only, flagged as such."""
        articles = _ingest("004").articles
        assert {(a.date, a.date_precision) for a in articles} == {(date(2021, 1, 1), "year")}

    def test_continued_on_another_page_is_moved_back(self) -> None:
        """The tail printed after page 20 ("上接第23页") belongs to the 中航锂电 article."""
        articles = {a.title: a for a in _ingest("004").articles}
        battery = next(a for title, a in articles.items() if title.startswith("建设重大科技创新平台"))
        saic = next(a for title, a in articles.items() if title.startswith("上汽时代"))
        assert "200GWh" in battery.body
        assert "200GWh" not in saic.body
        assert "下转" not in battery.body
        assert "上接" not in saic.body
        assert battery.start < battery.end

    def test_pieces_map_back_to_the_file(self) -> None:
        result = _ingest("004")
        for article in result.articles:
            _assert_maps_to_file(article, result.text)


class TestSameArticleOtherEncoding:
    """Content addressing: re-encoded files give the same articles and hashes."""

    @pytest.mark.parametrize(
        ("encoded", "encoding"),
        [
            (lambda t: t.encode("gbk"), "gbk"),
            (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
            (lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), "utf-16-le"),
            (lambda t: t.replace("\n", "\r\n").encode("gb18030"), "gbk"),
        ],
        ids=["gbk", "utf8-bom", "utf16-bom", "gbk-crlf"],
    )
    def test_same_articles_and_hashes(self, encoded: object, encoding: str) -> None:
        """GBK, BOM and CRLF copies of 000 split into the same articles with equal hashes."""
        text = _corpus_text("000")
        original = split_articles(text)
        decoded = read_text(encoded(text), "copy.txt")  # type: ignore[operator]
        assert decoded.encoding == encoding
        again = split_articles(decoded.text)
        assert [(a.title, a.date) for a in again] == [(a.title, a.date) for a in original]
        assert [content_hash(a) for a in again] == [content_hash(a) for a in original]

    def test_same_article_in_another_file_has_the_same_hash(self) -> None:
        """One record cut out of the feed into its own file hashes like it did in the feed."""
        text = _corpus_text("000")
        feed = split_articles(text)
        alone = split_articles("\n\n" + text[feed[3].start : feed[3].end] + "\n")
        assert len(alone) == 1
        assert content_hash(alone[0]) == content_hash(feed[3])
        assert len({content_hash(a) for a in feed}) == len(feed)
