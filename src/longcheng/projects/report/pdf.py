"""The bulletin as PDF, for officers to read: cover summary, charts, red projects, list tables.

Layout (A4 portrait): a red-headed cover with the generated summary and key figures; progress
by district and by industry (bar charts of this year's signed/started/completed counts and of
investment, then a table); the red projects with their reasons; one table per list. A PDF is
read, not filtered, so each list table shows the ``top_n`` projects by total investment and
the red section the ``red_top_n`` largest; the PDF says so and points to the XLSX, which holds
every row. Chinese text uses the embedded TrueType font of :mod:`.fonts` (CID fallback).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from longcheng.projects.report.charts import CJK_FONT, grouped_bars
from longcheng.projects.report.gather import (
    GroupRow,
    MonthlyReport,
    ReportProject,
    ReportSummary,
    by_investment,
    ordered_lists,
    summarize,
    summary_sentences,
    yi,
)
from longcheng.projects.schedule.lights import Light
from longcheng.projects.schedule.progress import amount_text

RED = colors.HexColor("#C00000")
HEADER_BG = colors.HexColor("#DDE4EE")
LIGHT_COLORS = {
    Light.red: RED,
    Light.yellow: colors.HexColor("#B07800"),
    Light.green: colors.HexColor("#2E7D32"),
}
MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (section numbers up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones or not head else "")


def _style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=CJK_FONT, fontSize=size, leading=leading, wordWrap="CJK", **extra)


STYLES = {
    "masthead": _style("masthead", 30, 40, alignment=TA_CENTER, textColor=RED),
    "issue": _style("issue", 12, 18, alignment=TA_CENTER),
    "h1": _style("h1", 14, 20, spaceBefore=10, spaceAfter=6),
    "h2": _style("h2", 11.5, 16, spaceBefore=8, spaceAfter=4),
    "body": _style("body", 11, 19, firstLineIndent=22, spaceAfter=4),
    "cell": _style("cell", 8, 10),
    "head": _style("head", 8, 10, alignment=TA_CENTER),
    "note": _style("note", 8.5, 12, textColor=colors.HexColor("#555555"), spaceBefore=4),
    "figure": _style("figure", 10, 14, alignment=TA_CENTER),
}


def _table(
    header: Sequence[str],
    body: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    numeric_from: int | None = None,
) -> Table:
    """A table with a wrapped header row repeated on every page, zebra rows, numbers right-aligned."""
    head = [Paragraph(text, STYLES["head"]) for text in header]
    table = Table([head, *body], colWidths=list(widths), repeatRows=1)
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), CJK_FONT, 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9AA5B1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F7FA")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 1), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(commands))
    return table


LEADER_WIDTH = 72  # two lines at most: the name, then the post ("王建国" / "（市政府秘书长）")


def leader_cell(text: str) -> Paragraph:
    """The 挂钩领导 cell: the name on one line and the bracketed post on the next."""
    return _cell(text.replace("（", "\n（", 1)) if text else _cell("")


def _cell(text: str) -> Paragraph:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>")
    return Paragraph(escaped, STYLES["cell"])


def _lines(texts: Sequence[str]) -> Paragraph:
    escaped = [t.replace("&", "&amp;").replace("<", "&lt;") for t in texts]
    return Paragraph("<br/>".join(escaped) or "—", STYLES["cell"])


def _light(light: Light) -> Paragraph:
    return Paragraph(f'<font color="{LIGHT_COLORS[light].hexval()}">●{light.label}</font>', STYLES["cell"])


def _cover(report: MonthlyReport, summary: ReportSummary, xlsx_name: str | None) -> list[Flowable]:
    meta = Table(
        [
            [
                report.issuer,
                f"{report.generated_on.year}年{report.generated_on.month}月{report.generated_on.day}日",
            ]
        ],
        colWidths=[FRAME_WIDTH / 2] * 2,
        style=[("FONT", (0, 0), (-1, -1), CJK_FONT, 11), ("ALIGN", (1, 0), (1, 0), "RIGHT")],
    )
    story: list[Flowable] = [
        Spacer(1, 10 * mm),
        Paragraph(report.title, STYLES["masthead"]),
        Spacer(1, 4 * mm),
        Paragraph(f"{report.issue}（{report.month.label}）", STYLES["issue"]),
        Spacer(1, 6 * mm),
        meta,
        HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=2, spaceAfter=8),
        Paragraph("一、总体情况", STYLES["h1"]),
        *(Paragraph(sentence, STYLES["body"]) for sentence in summary_sentences(summary)),
        Spacer(1, 4 * mm),
        _key_figures(summary),
        Spacer(1, 6 * mm),
    ]
    attachment = f"《{xlsx_name}》" if xlsx_name else ""
    story.append(
        Paragraph(
            f"说明：本报告各清单表按总投资从高到低列示前{report.top_n}个项目，红灯项目列示前{report.red_top_n}个；"
            f"全部{summary.projects}个项目的完整清单见同期XLSX附件{attachment}（可筛选、排序）。"
            "金额单位除注明外为亿元；“本年”指当年1月至本月。",
            STYLES["note"],
        )
    )
    return story


def _key_figures(summary: ReportSummary) -> Table:
    tallies = [
        ("本月新签约", summary.signed),
        ("本月新开工", summary.started),
        ("本月新竣工", summary.completed),
        ("本月新投产", summary.producing),
    ]
    head = [label for label, _ in tallies]
    counts = [f"{t.count}个" for _, t in tallies]
    money = [amount_text(t.investment_fen) for _, t in tallies]
    lights = [f"红灯 {summary.lights[Light.red]}个", f"黄灯 {summary.lights[Light.yellow]}个"]
    lights += [f"绿灯 {summary.lights[Light.green]}个", f"合计 {summary.projects}个"]
    table = Table([head, counts, money, lights], colWidths=[FRAME_WIDTH / 4] * 4)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), CJK_FONT, 10),
                ("FONT", (0, 1), (-1, 1), CJK_FONT, 16),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
                ("LINEBELOW", (0, 2), (-1, 2), 0.5, colors.HexColor("#9AA5B1")),
                ("TEXTCOLOR", (0, 3), (0, 3), RED),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def _top_groups(rows: Sequence[GroupRow], limit: int = 12) -> list[GroupRow]:
    """The ``limit - 1`` largest groups and one "其他" group for the rest (charts stay legible)."""
    if len(rows) <= limit:
        return list(rows)
    head, rest = list(rows[: limit - 1]), rows[limit - 1 :]
    other = GroupRow(
        name="其他",
        projects=sum(r.projects for r in rest),
        signed_year=sum(r.signed_year for r in rest),
        started_year=sum(r.started_year for r in rest),
        completed_year=sum(r.completed_year for r in rest),
        total_investment_fen=sum(r.total_investment_fen for r in rest),
        annual_plan_fen=sum(r.annual_plan_fen for r in rest),
        completed_year_fen=sum(r.completed_year_fen for r in rest),
        red=sum(r.red for r in rest),
    )
    return [*head, other]


def _group_section(number: int, label: str, rows: Sequence[GroupRow]) -> list[Flowable]:
    shown = _top_groups(rows)
    names = [r.name for r in shown]
    counts = grouped_bars(
        f"本年签约、开工、竣工项目数（按{label}）",
        names,
        [("签约", [r.signed_year for r in shown]), ("开工", [r.started_year for r in shown])]
        + [("竣工", [r.completed_year for r in shown])],
        width=FRAME_WIDTH,
        unit="个",
    )
    money = grouped_bars(
        f"项目投资（按{label}）",
        names,
        [("总投资", [r.total_investment_fen / 10**10 for r in shown])]
        + [("本年完成投资", [r.completed_year_fen / 10**10 for r in shown])],
        width=FRAME_WIDTH,
        unit="亿元",
        value_format="%.1f",
    )
    header = [label, "项目数", "本年签约", "本年开工", "本年竣工", "总投资<br/>（亿元）"]
    header += ["年度计划投资<br/>（亿元）", "本年完成投资<br/>（亿元）", "红灯<br/>项目"]
    body = [
        [r.name, r.projects, r.signed_year, r.started_year, r.completed_year]
        + [yi(r.total_investment_fen), yi(r.annual_plan_fen), yi(r.completed_year_fen), r.red]
        for r in rows
    ]
    widths = [92, 40, 44, 44, 44, 62, 62, 62, 42]
    return [
        Paragraph(f"{cn_number(number)}、分{label}推进情况", STYLES["h1"]),
        counts,
        Spacer(1, 4 * mm),
        money,
        Spacer(1, 4 * mm),
        _table(header, body, widths, numeric_from=1),
    ]


def _red_section(number: int, report: MonthlyReport, red: Sequence[ReportProject]) -> list[Flowable]:
    shown = red[: report.red_top_n]
    title = f"{cn_number(number)}、红灯项目（共{len(red)}个"
    title += f"，按总投资列示前{len(shown)}个）" if len(shown) < len(red) else "）"
    if not red:
        return [Paragraph(title, STYLES["h1"]), Paragraph("本月无红灯项目。", STYLES["body"])]
    header = ["序号", "项目名称", "地区", "挂钩领导", "总投资<br/>（亿元）", "红灯原因"]
    body = [
        [i, _cell(p.name), _cell(p.district), leader_cell(p.leader), yi(p.total_investment_fen)]
        + [_lines(p.red_reasons)]
        for i, p in enumerate(shown, 1)
    ]
    return [Paragraph(title, STYLES["h1"]), _table(header, body, [28, 98, 54, LEADER_WIDTH, 40, 201])]


def _list_table(
    name: str, index: int, report: MonthlyReport, rows: Sequence[ReportProject]
) -> list[Flowable]:
    shown = rows[: report.top_n]
    more = f"，列示总投资前{len(shown)}个" if len(shown) < len(rows) else ""
    header = [
        "序号",
        "项目名称",
        "地区",
        "产业",
        "阶段",
        "总投资<br/>（亿元）",
        "本年完成<br/>（亿元）",
        "年度<br/>完成率",
    ]
    header += ["状态", "挂钩领导"]
    body = []
    for i, p in enumerate(shown, 1):
        pct = f"{p.completed_year_fen * 100 / p.annual_plan_fen:.1f}%" if p.annual_plan_fen > 0 else "—"
        body.append(
            [i, _cell(p.name), _cell(p.district), _cell(p.industry), p.stage.label]
            + [
                yi(p.total_investment_fen),
                yi(p.completed_year_fen),
                pct,
                _light(p.light),
                leader_cell(p.leader),
            ]
        )
    widths = [28, 96, 48, 52, 28, 48, 48, 38, 36, LEADER_WIDTH]
    heading = Paragraph(f"（{cn_number(index + 1)}）{name}（共{len(rows)}个{more}）", STYLES["h2"])
    return [CondPageBreak(60 * mm), heading, _table(header, body, widths, numeric_from=5)]


def _footer(report: MonthlyReport) -> Any:
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(CJK_FONT, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(MARGIN, 10 * mm, f"{report.title}　{report.issue}")
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def write_pdf(
    report: MonthlyReport,
    target: Path | str | IO[bytes],
    summary: ReportSummary | None = None,
    *,
    xlsx_name: str | None = None,
) -> None:
    """Write the bulletin PDF to a path or a binary stream; ``xlsx_name`` names the attachment."""
    summary = summary or summarize(report)
    rows = by_investment(report.projects)
    story = _cover(report, summary, xlsx_name)
    story += [PageBreak(), *_group_section(2, "地区", summary.by_district)]
    story += [PageBreak(), *_group_section(3, "产业", summary.by_industry)]
    story += [PageBreak(), *_red_section(4, report, [p for p in rows if p.light is Light.red])]
    story += [CondPageBreak(80 * mm), Paragraph("五、分清单项目情况", STYLES["h1"])]
    for index, name in enumerate(ordered_lists(report)):
        story += _list_table(name, index, report, [p for p in rows if name in p.lists])
    story.append(KeepTogether([Spacer(1, 6 * mm), Paragraph(f"（{report.issuer}　编制）", STYLES["note"])]))
    doc = SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
        title=f"{report.title} {report.issue}",
        author=report.issuer,
        subject=report.month.label,
    )
    doc.build(story, onFirstPage=_footer(report), onLaterPages=_footer(report))
