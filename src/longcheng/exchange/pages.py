"""Pages of the exchange as a whole: the rulebook in Chinese and the dashboard with charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.charts import bar_chart
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.exchange import permissions as perm
from longcheng.exchange.bidding import stats
from longcheng.exchange.listings.views import class_label
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS

router = APIRouter(include_in_schema=False)


@router.get("/exchange/rulebook")
def rulebook(request: Request, actor: ActorOrNone) -> Response:
    """The rulebook in force, readable in Chinese (no login)."""
    return render(request, "exchange/rulebook.html", actor, rb=book.load(), labels=RULE_LABELS)


@router.get("/exchange/dashboard")
def dashboard(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.DASHBOARD)
    s = stats.summary(session, actor=actor)
    charts = {
        "volume": bar_chart(
            "成交额按资产类别（万元）",
            [class_label(b.key) for b in s.by_class],
            [round(b.volume_fen / 1_000_000, 2) for b in s.by_class],
            unit="万元",
            rotate=0,
            grid_bottom=40,
        ),
        "premium": bar_chart(
            "溢价率按资产类别（%）",
            [class_label(b.key) for b in s.by_class],
            [b.premium_pct for b in s.by_class],
            unit="%",
            rotate=0,
            grid_bottom=40,
        ),
        "month": bar_chart(
            "成交额按月（万元）",
            [b.key for b in s.by_month],
            [round(b.volume_fen / 1_000_000, 2) for b in s.by_month],
            unit="万元",
        ),
    }
    return render(request, "exchange/dashboard.html", actor, s=s, charts=charts, class_label=class_label)
