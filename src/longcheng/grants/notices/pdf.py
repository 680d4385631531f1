"""One-page notices as PDF: a title, a numbered reference, an opening, a two-column table and
the issuer. Amounts arrive already written (figures and 大写) by the caller."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from longcheng.projects.report.fonts import register_cjk_font


@dataclass(frozen=True)
class Notice:
    title: str
    reference: str
    addressee: str
    opening: str
    rows: list[tuple[str, str]]
    closing: str
    issuer: str
    issued_on: str  # already formatted, e.g. 2026年12月6日


@cache
def _font() -> str:
    return register_cjk_font()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(notice: Notice) -> bytes:
    font = _font()
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1)
    ref = ParagraphStyle("r", fontName=font, fontSize=10, leading=14, alignment=1)
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=18)
    right = ParagraphStyle("s", fontName=font, fontSize=11, leading=18, alignment=2)
    table = Table(
        [[Paragraph(_escape(a), body), Paragraph(_escape(b), body)] for a, b in notice.rows],
        colWidths=[40 * mm, 125 * mm],
    )
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#444444"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=notice.title, author=notice.issuer)
    doc.build(
        [
            Paragraph(_escape(notice.title), title),
            Paragraph(_escape(notice.reference), ref),
            Spacer(1, 8 * mm),
            Paragraph(_escape(f"{notice.addressee}："), body),
            Paragraph(_escape(notice.opening), body),
            Spacer(1, 4 * mm),
            table,
            Spacer(1, 6 * mm),
            Paragraph(_escape(notice.closing), body),
            Spacer(1, 10 * mm),
            Paragraph(_escape(f"{notice.issuer}（盖章）"), right),
            Paragraph(_escape(notice.issued_on), right),
        ]
    )
    return buf.getvalue()
