"""The alliance monitoring page: charts and table by institution, class or month, and the risk queue."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.core.charts import bar_chart
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.exchange.monitoring import risk, service

router = APIRouter(include_in_schema=False)


@router.get("/exchange/monitoring")
def monitoring(
    request: Request, session: DbSession, actor: CurrentActor, group: str = "institution"
) -> Response:
    rows = service.dashboard(session, actor=actor, group=group)
    labels = [r.label for r in rows]
    charts = {
        "volume": bar_chart(
            "成交额（万元）", labels, [round(r.volume_fen / 1_000_000, 2) for r in rows], unit="万元"
        ),
        "rates": bar_chart("流拍率（%）", labels, [r.unsold_pct for r in rows], unit="%"),
    }
    return render(
        request,
        "exchange/monitoring.html",
        actor,
        rows=rows,
        charts=charts,
        group=group,
        groups=service.GROUPS,
        signals=risk.queue(session, actor=actor),
        kinds=risk.KINDS,
        as_of=service.as_of(session),
    )
