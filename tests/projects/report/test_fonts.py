"""The bulletin PDF carries its Chinese font, or says loudly that it cannot."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pypdf import PdfReader
from tests.projects.report.test_report import _report

from longcheng.projects.demo import TITLES
from longcheng.projects.report.charts import CJK_FONT
from longcheng.projects.report.fonts import CANDIDATES, EMBEDDED_NAME, FALLBACK_CID, register_cjk_font
from longcheng.projects.report.pdf import LEADER_WIDTH, leader_cell, write_pdf

INSTALLED = any(p.is_file() for p in CANDIDATES)


@pytest.mark.skipif(
    not INSTALLED, reason="no CJK TrueType font installed (fonts-wqy-microhei; .ci/run installs it)"
)
def test_pdf_embeds_a_real_cjk_font(tmp_path: Path) -> None:
    """With a CJK TrueType font installed, every font of the PDF is embedded (a font file, not
    the CID STSong-Light the reader must supply)."""
    path = tmp_path / "report.pdf"
    write_pdf(_report(), path, xlsx_name="r.xlsx")
    assert CJK_FONT == EMBEDDED_NAME
    fonts = [
        font.get_object()
        for page in PdfReader(path).pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    ]
    assert fonts
    assert all("STSong" not in str(f.get("/BaseFont")) for f in fonts)
    assert b"/FontFile2" in path.read_bytes()


def test_without_a_font_file_it_falls_back_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """No font file installed: the CID font is used and the log says so."""
    with caplog.at_level(logging.WARNING):
        assert register_cjk_font((Path("/nonexistent/font.ttf"),)) == FALLBACK_CID
    assert "fonts-wqy-microhei" in caplog.text


@pytest.mark.parametrize("post", TITLES)
def test_a_leader_takes_at_most_two_lines(post: str) -> None:
    """The 挂钩领导 column shows the name, then the post: two lines at most, never four."""
    cell = leader_cell(f"欧阳建国（{post}）")
    _, height = cell.wrap(LEADER_WIDTH - 12, 1000)  # the table's default 6 pt padding each side
    assert height <= 2 * cell.style.leading
