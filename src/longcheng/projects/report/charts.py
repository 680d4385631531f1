"""Bar charts for the bulletin PDF, drawn with reportlab.graphics (vector, Chinese labels).

Charts take plain category names and series of numbers and return a ``Drawing`` that the PDF
places like any other flowable. Chinese text uses the built-in CID font ``STSong-Light``.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from longcheng.projects.report.fonts import register_cjk_font

CJK_FONT = register_cjk_font()

PALETTE: tuple[colors.Color, ...] = (
    colors.HexColor("#2F5D8A"),
    colors.HexColor("#E08A2E"),
    colors.HexColor("#4E9A5A"),
    colors.HexColor("#B23A3A"),
)


def _nice_max(value: float) -> float:
    """A round axis maximum just above ``value`` (1, 2, 2.5, 5 × 10^k)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1) if value >= 1 else 0.1
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _trim(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def grouped_bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    width: float,
    height: float = 200,
    unit: str = "",
    value_format: str = "%d",
) -> Drawing:
    """A vertical grouped bar chart with a title, a legend, value labels and slanted long names."""
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 14, title, fontName=CJK_FONT, fontSize=11))
    if unit:
        drawing.add(
            String(width, height - 14, f"单位：{unit}", fontName=CJK_FONT, fontSize=8, textAnchor="end")
        )
    plot_width = width - 46
    longest = max((len(_trim(c, 8)) for c in categories), default=0)
    slant = longest * 8.5 > plot_width / max(len(categories), 1) - 4
    chart = VerticalBarChart()
    chart.x, chart.y = 36, 58 if slant else 30
    chart.width, chart.height = plot_width, height - chart.y - 42
    chart.data = [list(values) for _, values in series] or [[0]]
    chart.categoryAxis.categoryNames = [_trim(c, 8) for c in categories] or [""]
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = CJK_FONT, 8
    if slant:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 30, "ne", 4, -2
    _value_axis(chart, max((max(values, default=0) for _, values in series), default=0))
    chart.barSpacing, chart.groupSpacing = 1, 8
    bar_width = plot_width / max(len(categories), 1) / max(len(series), 1)
    digits = max((len(value_format % v) for _, values in series for v in values), default=1)
    if bar_width >= digits * 4.2:  # label only when it fits over its bar
        chart.barLabelFormat, chart.barLabels.fontSize, chart.barLabels.nudge = value_format, 6, 6
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    drawing.add(_legend(series, width, height))
    return drawing


def _value_axis(chart: VerticalBarChart, top: float) -> None:
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax = 0, _nice_max(top * 1.15)
    axis.valueStep = axis.valueMax / 5
    axis.labels.fontSize = 7
    axis.visibleGrid, axis.gridStrokeColor = True, colors.HexColor("#DDDDDD")


def _legend(series: Sequence[tuple[str, Sequence[float]]], width: float, height: float) -> Legend:
    legend = Legend()
    legend.x, legend.y = 36, height - 24
    legend.alignment, legend.columnMaximum = "right", 1
    legend.fontName, legend.fontSize = CJK_FONT, 8
    legend.dx, legend.dy, legend.deltax = 8, 8, 62
    legend.colorNamePairs = [(PALETTE[i % len(PALETTE)], name) for i, (name, _) in enumerate(series)]
    return legend
