"""Chinese full-text search through the SearchIndex interface (tantivy backend).

The documents are invented for the tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from longcheng.intel.search import (
    IndexDoc,
    InvalidSearch,
    SearchIndex,
    SearchQuery,
    TantivyIndex,
    open_index,
    parse_terms,
)

DOCS = [
    IndexDoc(
        "doc:solar",
        "document",
        "光伏组件项目签约落户新北",
        "龙城一家光伏企业签约年产5GW光伏组件项目，光伏产业链进一步完善。光伏龙头带动配套企业落户。",
        date(2024, 3, 1),
        "新北区",
    ),
    IndexDoc(
        "doc:battery",
        "document",
        "锂电池材料二期开工",
        "溧阳锂离子电池正极材料二期项目开工，总投资约40亿元，文中也顺带提到光伏。",
        date(2024, 5, 20),
        "溧阳市",
    ),
    IndexDoc(
        "doc:steel",
        "document",
        "钢铁集团绿色改造",
        "某钢铁集团与经开区管委会签约，推进绿色循环改造，计划投资１０１亿元。<script>alert(1)</script>",
        date(2023, 11, 2),
        "常州经开区",
    ),
    IndexDoc(
        "doc:scatter",
        "document",
        "园区观察",
        "组件价格回落，光照资源一般，伏天高温影响施工。",
        date(2022, 7, 15),
        "武进区",
    ),
    IndexDoc(
        "fact:1",
        "fact",
        "协议投资40亿元",
        "正极材料二期项目总投资约40亿元",
        date(2024, 5, 20),
        "溧阳市",
        "investment",
        400_000_000_000,
    ),
    IndexDoc(
        "fact:2",
        "fact",
        "补助资金9600万元",
        "农业项目补助资金达9600余万元",
        date(2017, 12, 1),
        "金坛区",
        "funding",
        9_600_000_000,
    ),
]


@pytest.fixture
def index() -> Iterator[TantivyIndex]:
    with TantivyIndex(None) as built:
        built.add(DOCS)
        built.commit()
        yield built


def _ids(index: SearchIndex, text: str = "", **filters: object) -> list[str]:
    return [hit.id for hit in index.search(SearchQuery(text, **filters)).hits]  # type: ignore[arg-type]


class TestMatching:
    def test_two_character_query(self, index: TantivyIndex) -> None:
        """光伏 finds every item containing it, the one about solar first."""
        assert _ids(index, "光伏") == ["doc:solar", "doc:battery"]

    def test_one_character_query_inside_a_word(self, index: TantivyIndex) -> None:
        """锂 is found inside 锂离子 and 锂电池, where a word index alone would miss it."""
        assert _ids(index, "锂") == ["doc:battery"]

    def test_characters_apart_do_not_match_a_word(self, index: TantivyIndex) -> None:
        """光 ... 伏 in separate words is not 光伏."""
        assert "doc:scatter" not in _ids(index, "光伏")

    def test_quoted_phrase_is_exact(self, index: TantivyIndex) -> None:
        assert sorted(_ids(index, '"正极材料二期"')) == ["doc:battery", "fact:1"]
        assert _ids(index, '"材料正极"') == []

    def test_words_are_anded(self, index: TantivyIndex) -> None:
        """Every word must be present; a Chinese run is cut into words first."""
        assert _ids(index, "光伏 签约") == ["doc:solar"]
        assert _ids(index, "溧阳开工") == ["doc:battery"]
        assert _ids(index, "光伏 钢铁") == []

    def test_full_width_digits_and_latin_case(self, index: TantivyIndex) -> None:
        """１０１亿元 in the text is found as 101亿元; 5gw finds 5GW."""
        assert _ids(index, "101亿元") == ["doc:steel"]
        assert _ids(index, "5gw") == ["doc:solar"]

    def test_query_parsing(self) -> None:
        terms = parse_terms('溧阳 "锂电池 材料" 的')
        assert [(t.text, t.phrase) for t in terms] == [("溧阳", False), ("锂电池 材料", True), ("的", False)]


class TestRanking:
    def test_repeated_and_titled_match_beats_a_passing_mention(self, index: TantivyIndex) -> None:
        """A document about 光伏 (in its title, four times in its body) outranks a mention."""
        hits = index.search(SearchQuery("光伏")).hits
        assert [hit.id for hit in hits] == ["doc:solar", "doc:battery"]
        assert hits[0].score > 2 * hits[1].score

    def test_title_match_weighs_more_than_body(self) -> None:
        with TantivyIndex(None) as index:
            index.add(
                [
                    IndexDoc("a", "document", "园区动态", "储能项目开工，储能电站建设加快推进。"),
                    IndexDoc("b", "document", "储能电站开工", "项目建设加快推进，本月完成设备安装。"),
                ]
            )
            index.commit()
            assert _ids(index, "储能") == ["b", "a"]


class TestFilters:
    def test_date_range_is_inclusive(self, index: TantivyIndex) -> None:
        found = _ids(index, "", date_from=date(2024, 3, 1), date_to=date(2024, 5, 20))
        assert sorted(found) == ["doc:battery", "doc:solar", "fact:1"]
        assert found[-1] == "doc:solar"  # the oldest last

    def test_place_kind_and_fact_kind(self, index: TantivyIndex) -> None:
        assert _ids(index, "二期", place="溧阳市", kind="fact") == ["fact:1"]
        assert _ids(index, "", fact_kind="funding") == ["fact:2"]
        assert _ids(index, "光伏", place="武进区") == []

    def test_amount_range_in_fen(self, index: TantivyIndex) -> None:
        """Amounts are filtered in fen, bounds included; items without an amount drop out."""
        assert _ids(index, "", amount_min_fen=400_000_000_000) == ["fact:1"]
        assert _ids(index, "", amount_max_fen=9_600_000_000) == ["fact:2"]
        assert sorted(_ids(index, "项目", amount_min_fen=1)) == ["fact:1", "fact:2"]

    def test_empty_text_lists_newest_first(self, index: TantivyIndex) -> None:
        assert _ids(index, "", kind="document") == ["doc:battery", "doc:solar", "doc:steel", "doc:scatter"]


class TestPagesAndSnippets:
    def test_snippet_marks_matches_and_escapes_html(self, index: TantivyIndex) -> None:
        [hit] = index.search(SearchQuery("钢铁")).hits
        assert "<mark>钢铁</mark>" in hit.snippet_html
        assert "&lt;script&gt;" in hit.snippet_html
        assert "<script>" not in hit.snippet_html
        assert hit.title_html == "<mark>钢铁</mark>集团绿色改造"

    def test_hit_carries_the_item_fields(self, index: TantivyIndex) -> None:
        [hit] = index.search(SearchQuery("补助")).hits
        assert (hit.kind, hit.published, hit.place, hit.fact_kind, hit.amount_fen) == (
            "fact",
            date(2017, 12, 1),
            "金坛区",
            "funding",
            9_600_000_000,
        )

    def test_snippet_of_a_long_text_centres_on_the_match(self) -> None:
        text = "无关内容。" * 60 + "这里提到氢能产业园。" + "其他内容。" * 60
        with TantivyIndex(None) as index:
            index.add([IndexDoc("long", "document", "长文", text)])
            index.commit()
            [hit] = index.search(SearchQuery("氢能")).hits
        assert "<mark>氢能</mark>" in hit.snippet_html
        assert hit.snippet_html.startswith("…")
        assert hit.snippet_html.endswith("…")
        assert len(hit.snippet_html) < 200

    def test_offset_and_limit(self, index: TantivyIndex) -> None:
        first = index.search(SearchQuery("", limit=2))
        second = index.search(SearchQuery("", limit=2, offset=2))
        assert first.total == second.total == len(DOCS)
        assert len({h.id for h in first.hits + second.hits}) == 4

    @pytest.mark.parametrize(
        "bad",
        [
            {"date_from": date(2024, 2, 1), "date_to": date(2024, 1, 1)},
            {"amount_min_fen": 10, "amount_max_fen": 1},
            {"limit": 0},
            {"offset": -1},
            {"text": "光" * 201},
        ],
    )
    def test_bad_query_is_refused_with_a_reason(self, bad: dict[str, object]) -> None:
        with pytest.raises(InvalidSearch) as caught:
            SearchQuery(**bad)  # type: ignore[arg-type]
        assert caught.value.code_text == "intel.search_invalid"
        assert caught.value.status_code == 422


class TestWriting:
    def test_add_replaces_by_id_and_delete_removes(self, index: TantivyIndex) -> None:
        index.add([IndexDoc("doc:solar", "document", "光伏组件项目签约", "更新后的正文：光伏。")])
        index.commit()
        assert _ids(index, "光伏") == ["doc:solar", "doc:battery"]
        assert "更新后" in index.search(SearchQuery("光伏")).hits[0].snippet_html
        index.delete(["doc:solar", "doc:unknown"])
        assert _ids(index, "光伏") == ["doc:solar", "doc:battery"]  # not committed yet
        index.commit()
        assert _ids(index, "光伏") == ["doc:battery"]

    def test_index_on_disk_survives_reopening(self, tmp_path: Path) -> None:
        first = open_index(tmp_path / "idx")
        first.add(DOCS[:2])
        first.commit()
        first.close()
        again = open_index(tmp_path / "idx")
        again.add([DOCS[0]])  # re-adding an existing id replaces it
        again.commit()
        assert _ids(again, "光伏") == ["doc:solar", "doc:battery"]
        again.close()


def test_very_common_phrase_is_still_exact_on_the_page() -> None:
    """When every character of a phrase is everywhere, hits still all contain the phrase."""
    docs = [IndexDoc(f"d{n}", "document", f"第{n}号", "项目总投资稳步增长。") for n in range(10_050)]
    docs += [IndexDoc("near", "document", "干扰", "总体投入的资金和投资总额。")]
    with TantivyIndex(None) as index:
        index.add(docs)
        index.commit()
        page = index.search(SearchQuery('"总投资"', limit=20))
    assert page.total_is_estimate
    assert len(page.hits) == 20
    assert all("<mark>总投资</mark>" in hit.snippet_html for hit in page.hits)
