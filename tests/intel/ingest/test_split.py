"""Splitting and cleaning on invented texts: one test per file shape and boilerplate kind."""

from __future__ import annotations

from datetime import date

from longcheng.intel.ingest import content_hash, normalise_for_hash, split_articles
from longcheng.intel.ingest.boilerplate import classify_line

P1 = "龙城高新区今年一季度新签约项目十二个,协议总投资超过六十亿元,其中先进制造类项目占比过半。"
P2 = "新北区一家光伏企业完成技术改造,新增产能两吉瓦,带动上下游配套企业二十余家落户园区。"
P3 = "溧阳一家锂电材料企业二期工程正式开工,计划明年年底建成投产,预计年产值约三十亿元。"


class TestBoilerplate:
    def test_page_chrome_is_dropped_and_the_source_kept(self) -> None:
        """Share, print, contact, disclaimer and editor lines leave the body; 来源 becomes metadata."""
        text = "\n".join(
            [
                "当前位置：首页 > 新闻中心 > 园区动态",
                "龙城高新区一季度招商成绩单出炉",
                "发布时间：2024-04-02 10:30",
                P1,
                P2,
                "来源：龙城日报",
                "责任编辑：王某",
                "【打印本页】【关闭窗口】",
                "分享到：",
                "地址：龙城市龙城大道1号",
                "电话：0519-12345678",
                "版权所有 © 龙城高新区管委会 苏ICP备12345678号",
                "相关新闻",
                "溧阳锂电材料项目开工",
                "新北光伏企业技改完成",
            ]
        )
        [article] = split_articles(text)
        assert article.title == "龙城高新区一季度招商成绩单出炉"
        assert article.date == date(2024, 4, 2)
        assert article.source == "龙城日报"
        assert article.body == f"{P1}\n{P2}"

    def test_long_paragraph_mentioning_a_phone_word_is_kept(self) -> None:
        """Rules have length limits: a news sentence about a hotline is content."""
        sentence = (
            "市政务服务热线电话开通以来,累计受理企业诉求三千余件,办结率达百分之九十八,企业满意度持续提升。"
        )
        assert classify_line(sentence) == "content"
        assert classify_line("电话：0519-12345678") == "contact"


class TestShapes:
    def test_title_date_body_records(self) -> None:
        """Records printed as title, date line, body split at each title."""
        text = f"项目一签约\n2024-01-05\n{P1}\n\n项目二技改\n2024年1月9日\n{P2}\n{P3}\n"
        articles = split_articles(text)
        assert [(a.title, a.date) for a in articles] == [
            ("项目一签约", date(2024, 1, 5)),
            ("项目二技改", date(2024, 1, 9)),
        ]
        assert articles[1].body == f"{P2}\n{P3}"

    def test_title_body_date_records_with_separators(self) -> None:
        text = f"-\n项目一签约\n{P1}\n2024-01-05\n-\n项目二技改\n{P2}\n2024-01-09\n"
        articles = split_articles(text)
        assert [(a.title, a.body, a.date) for a in articles] == [
            ("项目一签约", P1, date(2024, 1, 5)),
            ("项目二技改", P2, date(2024, 1, 9)),
        ]

    def test_newspaper_stories(self) -> None:
        """Each 本报讯 story takes the headline lines above it."""
        first = f"\n龙城高新区\n一季度招商开门红\n\n本报讯 (记者 张某) {P1}\n"
        text = first + f"\n光伏企业技改完成\n\n本报讯 {P2}\n{P3}\n"
        articles = split_articles(text)
        assert [a.title for a in articles] == ["龙城高新区 一季度招商开门红", "光伏企业技改完成"]
        assert articles[1].body.endswith(P3)

    def test_magazine_contents(self) -> None:
        """A contents list of page numbers and titles splits the issue; front matter is left out."""
        contents = "\n".join(
            ["龙城科技", "2024年第 3 期", "编辑部 电话：0519-1234567", "目录"]
            + [
                "- 02 高新区招商开门红",
                "- 05 光伏企业技改完成",
                "副题：新增产能两吉瓦",
                "- 09 锂电材料项目开工",
            ]
            + ["- 12 科技镇长团走进园区"]
        )
        bodies = [
            f"高新区招商开门红\n{P1}",
            f"光伏企业技改 完成\n{P2}",
            f"锂电材料项目开工\n{P3}",
            f"科技镇长团走进园区\n{P1}",
        ]
        articles = split_articles(contents + "\n\n" + "\n\n".join(bodies) + "\n")
        assert [a.title for a in articles] == [
            "高新区招商开门红",
            "光伏企业技改 完成",
            "锂电材料项目开工",
            "科技镇长团走进园区",
        ]
        assert {(a.date, a.date_precision) for a in articles} == {(date(2024, 1, 1), "year")}
        assert "编辑部" not in "".join(a.text for a in articles)

    def test_plain_text_is_one_article(self) -> None:
        [article] = split_articles(f"龙城招商简报\n{P1}\n{P2}\n")
        assert (article.title, article.body, article.date) == ("龙城招商简报", f"{P1}\n{P2}", None)

    def test_nothing_but_chrome_is_no_article(self) -> None:
        assert split_articles("分享到：\n版权所有 龙城\n\n") == []


class TestOffsets:
    def test_a_span_in_the_article_maps_to_the_same_text_in_the_file(self) -> None:
        """Facts found in an article's text can be shown in the file they came from."""
        text = f"当前位置：首页\n龙城高新区一季度招商\n2024-04-02\n{P1}\n分享到：\n{P2}\n"
        [article] = split_articles(text)
        cue = "超过六十亿元"
        at = article.text.index(cue)
        start, end = article.file_span(at, at + len(cue))
        assert text[start:end] == cue
        at = article.text.index("新增产能")
        start, end = article.file_span(at, at + 4)
        assert text[start:end] == "新增产能"

    def test_rejoined_line_maps_across_the_break(self) -> None:
        """A word rejoined over a layout break maps to a file span covering both halves."""
        text = f"标题\n{P1[:40]}\n\n{P1[40:]}\n"
        [article] = split_articles(text)
        assert P1 in article.body
        at = article.text.index(P1)
        start, end = article.file_span(at, at + len(P1))
        assert text[start:end].replace("\n", "") == P1


class TestContentHash:
    def test_width_and_spacing_do_not_change_the_hash(self) -> None:
        """Full-width digits, spaces around numbers and line breaks are normalised away."""
        assert normalise_for_hash("总投资 １２０ 亿元\n 签约") == "总投资120亿元签约"
        assert normalise_for_hash("Plug  and Play 中心") == "Plug and Play中心"

    def test_different_text_different_hash(self) -> None:
        [one] = split_articles(f"标题\n{P1}\n")
        [two] = split_articles(f"标题\n{P2}\n")
        assert content_hash(one) != content_hash(two)
        assert len(content_hash(one)) == 64
