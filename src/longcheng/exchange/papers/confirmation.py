"""The 成交确认书 (deal confirmation) as a one-page PDF."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from longcheng.core.money.capital import to_capital

log = logging.getLogger(__name__)
FONT_FILES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
)


@dataclass(frozen=True)
class Deal:
    institution: str
    listing_code: str
    title: str
    seller: str
    buyer: str
    bidder_no: str
    price_fen: int
    deposit_fen: int
    closed_at: str  # Beijing time, already formatted
    balance_due: str
    audit_head: str


@cache
def _font() -> str:
    for path in FONT_FILES:
        if path.is_file():
            try:
                pdfmetrics.registerFont(TTFont("ExchangeCJK", str(path), subfontIndex=0))
                return "ExchangeCJK"
            except TTFError:
                continue
    log.warning("未找到可嵌入的中文字体，成交确认书使用 CID 字体 STSong-Light。")
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f} 元"


def render(deal: Deal) -> bytes:
    font = _font()
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=18)
    rows = [
        ["项目编号", deal.listing_code],
        ["项目名称", deal.title],
        ["转让方", deal.seller],
        ["受让方", f"{deal.buyer}（竞买号 {deal.bidder_no}）"],
        ["成交价（小写）", _yuan(deal.price_fen)],
        ["成交价（大写）", to_capital(deal.price_fen)],
        ["已交保证金", f"{_yuan(deal.deposit_fen)}（转作价款）"],
        ["应付余款", _yuan(max(0, deal.price_fen - deal.deposit_fen))],
        ["余款支付期限", deal.balance_due],
        ["竞价结束时间", deal.closed_at],
        ["竞价记录链头哈希", deal.audit_head],
    ]
    table = Table([[Paragraph(a, body), Paragraph(b, body)] for a, b in rows], colWidths=[40 * mm, 125 * mm])
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title="成交确认书", author=deal.institution)
    doc.build(
        [
            Paragraph("成交确认书", title),
            Spacer(1, 8 * mm),
            Paragraph(f"经{deal.institution}组织网络竞价，本项目成交，确认如下：", body),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 8 * mm),
            Paragraph(f"{deal.institution}（盖章）", body),
        ]
    )
    return buf.getvalue()
