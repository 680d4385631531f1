"""ECharts options as JSON for ``static/app.js``: pure builders, plain data in, a string out.

Every dashboard draws the same two shapes — a bar chart of totals by label and a ring (pie)
chart of shares — so pages call :func:`bar_chart` or :func:`pie_chart` and put the string in a
``data-chart`` attribute. The JSON is safe inside HTML (``</`` is escaped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

BAR_COLOUR = "#1d4e89"


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[object],
    *,
    unit: str = "",
    grid_left: int = 60,
    grid_bottom: int = 90,
    rotate: int = 30,
    tooltip: dict[str, Any] | None = None,
) -> str:
    """Bars of ``values`` by ``labels``; ``unit`` names the value axis (left out when blank)."""
    y_axis: dict[str, Any] = {"type": "value"}
    if unit:
        y_axis["name"] = unit
    return to_json(
        {
            "title": _title(title),
            "tooltip": tooltip or {},
            "grid": {"left": grid_left, "right": 20, "bottom": grid_bottom},
            "xAxis": {
                "type": "category",
                "data": list(labels),
                "axisLabel": {"interval": 0, "rotate": rotate},
            },
            "yAxis": y_axis,
            "series": [{"type": "bar", "data": list(values), "itemStyle": {"color": BAR_COLOUR}}],
        }
    )


def pie_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[object],
    *,
    colours: Sequence[str] = (),
    tooltip: dict[str, Any] | None = None,
) -> str:
    """A ring of ``values`` named by ``labels``, in ``colours`` when given."""
    spec: dict[str, Any] = {"title": _title(title), "tooltip": tooltip or {}}
    if colours:
        spec["color"] = list(colours)
    spec["series"] = [
        {
            "type": "pie",
            "radius": ["35%", "65%"],
            "data": [{"name": n, "value": v} for n, v in zip(labels, values, strict=True)],
        }
    ]
    return to_json(spec)


def to_json(spec: dict[str, Any]) -> str:
    """``spec`` as JSON that can sit inside an HTML attribute or script."""
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


def _title(text: str) -> dict[str, Any]:
    return {"text": text, "left": "center", "textStyle": {"fontSize": 14}}
