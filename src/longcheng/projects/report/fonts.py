"""The Chinese font of the PDF bulletin: a real TrueType font embedded in the file when one is
installed, else reportlab's CID font ``STSong-Light`` (not embedded: the reader must supply it),
with a warning in the log.

The embedded font is WenQuanYi Micro Hei (Debian ``fonts-wqy-microhei``, which ``.ci/run``
installs) or, failing that, Droid Sans Fallback (``fonts-droid-fallback``). reportlab embeds only
TrueType outlines, so the OpenType/CFF Noto CJK fonts cannot serve.
"""

from __future__ import annotations

import logging
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

log = logging.getLogger(__name__)

EMBEDDED_NAME = "LongchengCJK"
FALLBACK_CID = "STSong-Light"
CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)


def register_cjk_font(candidates: tuple[Path, ...] = CANDIDATES) -> str:
    """Register the first usable font of ``candidates`` and return its name for reportlab, or
    register the CID fallback (with a warning) when none is installed."""
    for path in candidates:
        if not path.is_file():
            continue
        try:
            pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, str(path), subfontIndex=0))
        except TTFError as exc:
            log.warning("PDF 中文字体 %s 无法使用（%s），继续查找。", path, exc)
            continue
        return EMBEDDED_NAME
    log.warning(
        "未找到可嵌入的中文 TrueType 字体（如 Debian 的 fonts-wqy-microhei）："
        "PDF 使用未嵌入的 CID 字体 %s，部分阅读器可能无法显示中文。",
        FALLBACK_CID,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    return FALLBACK_CID
