"""Reading files: encodings, HTML, PDF, folders and bad input.

The texts here are invented for the tests.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from longcheng.intel.ingest import (
    BinaryFile,
    EmptyFile,
    FileMissing,
    FileTooLarge,
    IngestError,
    PdfNoText,
    PdfUnreadable,
    SkippedPath,
    content_hash,
    ingest_file,
    iter_paths,
    read_text,
    split_articles,
)

TITLE = "龙城新材料产业园签约三个项目"
BODY = (
    "本月,龙城新材料产业园与三家企业集中签约,计划总投资18.5亿元,主要投向锂电池隔膜和光伏背板。"
    "园区负责人表示,项目预计明年上半年开工。"
)
STORY = f"{TITLE}\n2024-03-18\n{BODY}\n"


def _pdf(lines: list[str]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 12)
    for at, line in enumerate(lines):
        page.drawString(40, 800 - 20 * at, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.rect(100, 100, 300, 400, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


class TestEncodings:
    def test_utf8(self) -> None:
        decoded = read_text(STORY.encode("utf-8"), "a.txt")
        assert (decoded.text, decoded.encoding, decoded.warnings) == (STORY, "utf-8", ())

    def test_bom_is_stripped(self) -> None:
        """A UTF-8 byte-order mark does not end up in the text."""
        decoded = read_text(b"\xef\xbb\xbf" + STORY.encode("utf-8"), "a.txt")
        assert decoded.text == STORY
        assert decoded.encoding == "utf-8-sig"

    def test_gbk(self) -> None:
        decoded = read_text(STORY.encode("gbk"), "a.txt")
        assert (decoded.text, decoded.encoding) == (STORY, "gbk")

    def test_gb18030_beyond_gbk(self) -> None:
        """Characters outside GBK (here 𠀾, U+2003E) decode as GB18030."""
        text = STORY + "𠀾\n"
        decoded = read_text(text.encode("gb18030"), "a.txt")
        assert (decoded.text, decoded.encoding) == (text, "gb18030")

    def test_utf16_with_bom(self) -> None:
        decoded = read_text(STORY.encode("utf-16"), "a.txt")
        assert decoded.text == STORY

    def test_mixed_lines_are_decoded_one_by_one_and_reported(self) -> None:
        """A file glued from a GBK part and a UTF-8 part reads correctly, with a warning."""
        data = f"{TITLE}\n2024-03-18\n".encode("gbk") + f"{BODY}\n".encode()
        decoded = read_text(data, "a.txt")
        assert decoded.text == STORY
        assert decoded.encoding == "mixed"
        assert [w.code for w in decoded.warnings] == ["intel.mixed_encoding"]
        assert "UTF-8" in decoded.warnings[0].message

    def test_undecodable_bytes_are_replaced_and_reported(self) -> None:
        data = STORY.encode("gbk") + b"\xff\xff\xff abc\n"
        decoded = read_text(data, "a.txt")
        assert decoded.text.startswith(STORY)
        assert "intel.undecodable_bytes" in [w.code for w in decoded.warnings]


class TestHtml:
    PAGE = f"""<!DOCTYPE html><html><head><meta charset="gbk"><title>站点</title>
    <script>var x = "不应出现";</script><style>p {{ color: red }}</style></head>
    <body><header>网站首页 | 政务公开</header><nav><a>栏目导航链接</a></nav>
    <h1>{TITLE}</h1><div class="info">发布时间：2024-03-18 来源：龙城日报</div>
    <p>{BODY[:48]}</p><p>{BODY[48:]}</p>
    <div>分享到：微信 微博</div><footer>版权所有 龙城 ICP备000号</footer></body></html>"""

    def test_declared_charset_and_chrome_dropped(self) -> None:
        """A GBK page declaring its charset reads right; script, nav and footer are gone."""
        decoded = read_text(self.PAGE.encode("gbk"), "page.html")
        assert decoded.kind == "html"
        assert decoded.encoding == "gb18030"
        assert TITLE in decoded.text
        for cue in ("不应出现", "color", "栏目导航", "网站首页", "版权所有"):
            assert cue not in decoded.text

    def test_page_yields_the_article_with_date_and_source(self) -> None:
        decoded = read_text(self.PAGE.encode("gbk"), "page.html")
        [article] = split_articles(decoded.text)
        assert article.title == TITLE
        assert article.date == date(2024, 3, 18)
        assert article.source == "龙城日报"
        assert "分享到" not in article.body

    def test_same_article_as_html_and_as_text_has_one_hash(self) -> None:
        """Content addressing ignores the format the article came in."""
        [from_html] = split_articles(read_text(self.PAGE.encode("gbk"), "page.html").text)
        [from_text] = split_articles(STORY)
        assert content_hash(from_html) == content_hash(from_text)

    def test_wrong_declared_charset_falls_back_with_a_warning(self) -> None:
        page = self.PAGE.replace('charset="gbk"', 'charset="utf-8"')
        decoded = read_text(page.encode("gbk"), "page.htm")
        assert TITLE in decoded.text
        assert [w.code for w in decoded.warnings] == ["intel.charset_mismatch"]

    def test_page_without_text_is_empty(self) -> None:
        with pytest.raises(EmptyFile):
            read_text(b"<html><head><script>1</script></head><body></body></html>", "x.html")


class TestPdf:
    def test_text_layer_with_chinese(self) -> None:
        """A PDF set in the STSong-Light CID font yields its Chinese text and article."""
        decoded = read_text(_pdf([TITLE, "2024-03-18", BODY[:40], BODY[40:]]), "bulletin.pdf")
        assert decoded.kind == "pdf"
        [article] = split_articles(decoded.text)
        assert article.title == TITLE
        assert article.date == date(2024, 3, 18)
        assert "18.5亿元" in article.body

    def test_scan_without_text_layer_is_refused(self) -> None:
        """An image-only PDF is refused with intel.pdf_no_text and a Chinese explanation."""
        with pytest.raises(PdfNoText) as caught:
            read_text(_image_only_pdf(), "scan.pdf")
        assert caught.value.code_text == "intel.pdf_no_text"
        assert "文字层" in caught.value.message_text

    def test_broken_pdf(self) -> None:
        with pytest.raises(PdfUnreadable):
            read_text(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "broken.pdf")


class TestBadInput:
    @pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
    def test_empty(self, data: bytes) -> None:
        with pytest.raises(EmptyFile) as caught:
            read_text(data, "a.txt")
        assert caught.value.code_text == "intel.empty_file"

    @pytest.mark.parametrize(
        "data",
        [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, bytes(range(256)) * 40, b"\x01\x02\x03\x04abc" * 200],
        ids=["png", "all-bytes", "control-chars"],
    )
    def test_binary(self, data: bytes) -> None:
        """Binary content is refused with intel.binary_file instead of becoming mojibake."""
        with pytest.raises(BinaryFile) as caught:
            read_text(data, "a.txt")
        assert caught.value.code_text == "intel.binary_file"

    def test_limit_on_bytes(self) -> None:
        with pytest.raises(FileTooLarge) as caught:
            read_text(STORY.encode("utf-8"), "a.txt", max_bytes=10)
        assert caught.value.status_code == 413

    def test_500_mb_file_is_refused_before_reading(self, tmp_path: Path) -> None:
        """A 500 MB file is refused from its size alone, with the size in the message."""
        huge = tmp_path / "huge.txt"
        with huge.open("wb") as handle:
            handle.truncate(500 * 1024 * 1024)  # sparse: no disk space used
        with pytest.raises(FileTooLarge) as caught:
            ingest_file(huge)
        assert caught.value.code_text == "intel.file_too_large"
        assert "500.0 MB" in caught.value.message_text
        assert "50.0 MB" in caught.value.message_text

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(FileMissing):
            ingest_file(tmp_path / "nope.txt")

    def test_errors_share_one_base(self) -> None:
        """Every refusal can be caught as IngestError and carries a Chinese message."""
        for error in (EmptyFile(), BinaryFile(), FileTooLarge(), PdfNoText(), PdfUnreadable()):
            assert isinstance(error, IngestError)
            assert error.code_text.startswith("intel.")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message_text)


class TestIngestFile:
    def test_result_carries_text_articles_and_file_hash(self, tmp_path: Path) -> None:
        path = tmp_path / "story.txt"
        path.write_bytes(STORY.encode("gbk"))
        result = ingest_file(path)
        assert (result.encoding, result.kind, result.text) == ("gbk", "text", STORY)
        assert [a.title for a in result.articles] == [TITLE]
        assert len(result.file_sha256) == 64
        assert result.warnings == ()

    def test_file_of_only_boilerplate_is_reported(self, tmp_path: Path) -> None:
        path = tmp_path / "chrome.txt"
        path.write_text("分享到：微信\n版权所有 龙城网\n", encoding="utf-8")
        result = ingest_file(path)
        assert result.articles == ()
        assert [w.code for w in result.warnings] == ["intel.no_articles"]


class TestIterPaths:
    def test_folders_are_walked_and_other_files_skipped_with_a_reason(self, tmp_path: Path) -> None:
        """Text, HTML and PDF files are yielded in name order; the rest are reported."""
        for name in ("b.html", "a.txt", "c.pdf", "d.docx", ".hidden.txt", "sub/e.HTM", ".git/f.txt"):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("x", encoding="utf-8")
        skipped: list[SkippedPath] = []
        collect: Callable[[SkippedPath], None] = skipped.append
        found = list(iter_paths([tmp_path, tmp_path / "a.txt", tmp_path / "gone"], on_skip=collect))
        assert [p.relative_to(tmp_path).as_posix() for p in found] == [
            "a.txt",
            "b.html",
            "c.pdf",
            "sub/e.HTM",
        ]
        reasons = {p.name: s for s in skipped for p in [s.path]}
        assert reasons["d.docx"].code == "intel.unsupported_file"
        assert ".docx" in reasons["d.docx"].message
        assert reasons[".hidden.txt"].code == "intel.hidden_file"
        assert reasons[".git"].code == "intel.hidden_file"
        assert reasons["gone"].code == "intel.file_not_found"
