"""Pages of cooperation programmes: the list, and a programme's page with its roll-up charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.cooperation import service
from longcheng.core.charts import bar_chart
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render

router = APIRouter(include_in_schema=False)


def _wan(fen: int) -> float:
    return round(fen / 1_000_000, 2)


@router.get("/cooperation")
def programmes_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(
        request,
        "cooperation/list.html",
        actor,
        programmes=service.programmes().values(),
        counts=service.counts(session, actor=actor),
    )


@router.get("/cooperation/{code}")
def programme_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    roll = service.rollup(session, actor=actor, code=code)
    stage_chart = bar_chart(
        "按阶段的总投资", list(roll.by_stage), [_wan(v) for v in roll.by_stage.values()], unit="万元"
    )
    year_chart = bar_chart(
        "按年度的总投资", list(roll.by_year), [_wan(v) for v in roll.by_year.values()], unit="万元"
    )
    grants = service.grants_paid(session, actor=actor, roll=roll)
    grants_chart = (
        bar_chart(
            "按年度的资金拨付", list(grants.by_year), [_wan(v) for v in grants.by_year.values()], unit="万元"
        )
        if grants and grants.by_year
        else None
    )
    return render(
        request,
        "cooperation/programme.html",
        actor,
        roll=roll,
        grants=grants,
        grants_chart=grants_chart,
        p=roll.programme,
        wan=_wan,
        stage_chart=stage_chart,
        year_chart=year_chart,
    )
