"""Pages of the exchange as a whole: the rulebook in Chinese and the dashboard with charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.charts import bar_chart
from longcheng.core.errors import LongchengError
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession, client_key, state_of
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.exchange import permissions as perm
from longcheng.exchange import signup as signups
from longcheng.exchange.bidding import stats
from longcheng.exchange.listings.views import class_label
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS
from longcheng.exchange.schemas import SignupIn

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


SIGNUP_FIELDS = ("kind", "name", "uscc", "id_number", "username", "password")


@router.get("/exchange/signup")
def signup_page(request: Request, actor: ActorOrNone) -> Response:
    """竞买人自助注册 (no login)."""
    return render_form(request, actor, "exchange/signup.html", values={"kind": "org"})


@router.post("/exchange/signup")
async def signup_submit(request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    values = form_values(await request.form(), SIGNUP_FIELDS)
    try:
        limits = signups.limits_of(state_of(request).extras)
        signups.throttle(limits, address=client_key(request), values=values)
        signups.signup(session, data=validate(SignupIn, values, code="exchange.invalid"))
    except LongchengError as exc:
        shown = {k: v for k, v in values.items() if k != "password"}
        return render_refused(request, session, actor, "exchange/signup.html", exc, values=shown)
    return RedirectResponse("/exchange/signup/done", status_code=303)


@router.get("/exchange/signup/done")
def signup_done(request: Request, actor: ActorOrNone) -> Response:
    return render(request, "exchange/signup_done.html", actor)
