"""Pages everyone uses: the policy library, a clause's 申兑指南 and calculator, and a firm's
"你可享受的政策" (政策一键查); and the helpers every policy page shares (``common``,
``staff_common``, ``money``). The sub-domains' pages are in ``runs/pages.py``,
``awards/pages.py``, ``inputs/pages.py`` (officers) and ``inbox/pages.py`` (the enterprise inbox).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.errors import LongchengError
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.policy import permissions as perm
from longcheng.policy import service
from longcheng.policy.awards import service as award_service
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.batch import reason_text
from longcheng.policy.engine.guide import guide
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period, PeriodKind, parse_period
from longcheng.policy.engine.rules import Kind
from longcheng.policy.inputs.service.sources import variable_sources
from longcheng.registry import reference as ref

router = APIRouter(include_in_schema=False)


def money(text: str | int | None) -> str:
    """A yuan decimal string (any number of decimals) or fen int as ``1,234,567.89``."""
    if text is None or text == "":
        return ""
    raw = fen_to_yuan(text) if isinstance(text, int) else str(text)
    whole, _, fraction = raw.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}.{(fraction or '').ljust(2, '0')}"


def value_text(value: object) -> str:
    """A value from an explanation as people read it: decimal amounts as ``2,000,000.00 元``."""
    text = str(value)
    digits = text.lstrip("-")
    if "." in digits and digits.replace(".", "", 1).isdigit():
        return f"{money(text)} 元"
    return text


def common(pack: Pack) -> dict[str, Any]:
    """What every policy page's template needs."""
    last = pack.effective_to.year if pack.effective_to else service.default_year(pack)
    return {
        "pack": pack,
        "years": list(range(last, pack.effective_from.year - 1, -1)),
        "default_year": service.default_year(pack),
        "money": money,
        "value_text": value_text,
        "perm": perm,
        "place_name": partial(ref.place_name, keep_unknown=True),
    }


def staff_common() -> dict[str, Any]:
    pack = service.get_pack()

    def reading_label(clause_id: str, reading_id: str) -> str:
        clause = pack.clauses.get(clause_id)
        if clause is None or len(clause.readings) < 2:
            return "—"
        return clause.reading(reading_id).label.split("：")[0]

    def reason_label(clause_id: str, code: str) -> str:
        return reason_text(pack, clause_id, code) if clause_id in pack.clauses else code

    return {
        **common(pack),
        "districts": ref.districts(),
        "reading_label": reading_label,
        "reason_label": reason_label,
    }


@router.get("/policy")
def library(request: Request, actor: CurrentActor) -> Response:
    data = service.list_clauses(actor=actor)
    pack = service.get_pack()
    return render(
        request,
        "policy/library.html",
        actor,
        clauses=data["clauses"],
        sources=variable_sources(pack),
        **common(pack),
    )


@router.get("/policy/clauses/{clause_id}")
def clause_page(clause_id: str, request: Request, actor: CurrentActor, year: str | None = None) -> Response:
    pack = service.get_pack()
    clause = pack.clause(clause_id)
    period = _clause_period(pack, clause.period, year)
    return render(request, "policy/clause.html", actor, **_clause_context(actor, pack, clause_id, period))


def _clause_period(pack: Pack, kind: PeriodKind, text: str | None) -> Period:
    if kind is PeriodKind.MONTH:
        return service.check_period(
            pack, parse_period(text) if text else Period(service.default_year(pack), 12)
        )
    return service.year_period(pack, text)


def _clause_context(actor: Actor, pack: Pack, clause_id: str, period: Period) -> dict[str, Any]:
    clause = pack.clause(clause_id)
    fields = [
        {
            "name": spec.name,
            "label": spec.label,
            "kind": spec.type.kind.value,
            "choices": list(zip(spec.values, spec.value_labels, strict=True)),
            "money": spec.type.kind is Kind.MONEY,
        }
        for spec in service.clause_inputs(pack, clause)
    ]
    return {
        "clause": clause,
        "info": service.clause_json(pack, clause),
        "guide": service.clause_guide(actor=actor, clause_id=clause_id, period=period),
        "fields": fields,
        "period": period,
        "monthly": clause.period is PeriodKind.MONTH,
        "explanation": None,
        "error": None,
        "values": {},
        **common(pack),
    }


@router.post("/policy/clauses/{clause_id}/calculate")
async def calculate(clause_id: str, request: Request, actor: CurrentActor) -> Response:
    """The calculator: an HTMX partial (or the whole page without JavaScript)."""
    pack = service.get_pack()
    clause = pack.clause(clause_id)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "period", "reading")}
    context = _clause_context(actor, pack, clause_id, _clause_period(pack, clause.period, None))
    context["values"] = values
    try:
        period = parse_period(str(form.get("period") or context["period"]))
        reading = str(form.get("reading") or "") or None
        context["explanation"] = service.evaluate(
            actor=actor, clause_id=clause_id, period=period, inputs=values, reading=reading
        )
        context["period"] = period
    except LongchengError as exc:
        context["error"] = exc
    template = "policy/_explanation.html" if request.headers.get("hx-request") else "policy/clause.html"
    return render(request, template, actor, **context)


@router.get("/policy/mine")
def mine(actor: CurrentActor, year: str | None = None) -> Response:
    """An enterprise user's own 你可享受的政策 (others are sent to the search form)."""
    if not actor.org_uscc:
        return RedirectResponse("/policy/orgs", status_code=303)
    suffix = f"?year={year}" if year and year.isdigit() else ""
    return RedirectResponse(f"/policy/orgs/{actor.org_uscc}{suffix}", status_code=303)


@router.get("/policy/orgs")
def find_org(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    uscc: str | None = None,
    q: str | None = None,
) -> Response:
    """Officers look a firm up by name or USCC (one match opens it); enterprises go to their own page."""
    if actor.org_uscc:
        return RedirectResponse(f"/policy/orgs/{actor.org_uscc}", status_code=303)
    if uscc and uscc.strip():
        return RedirectResponse(f"/policy/orgs/{uscc.strip().upper()}", status_code=303)
    matches = service.find_orgs(session, actor=actor, q=q[:100]) if q else []
    if len(matches) == 1:
        return RedirectResponse(f"/policy/orgs/{matches[0]['uscc']}", status_code=303)
    pack = service.get_pack()
    return render(request, "policy/find.html", actor, q=(q or "").strip(), matches=matches, **common(pack))


@router.get("/policy/orgs/{uscc}")
def lookup_page(
    uscc: str, request: Request, session: DbSession, actor: CurrentActor, year: str | None = None
) -> Response:
    answer = service.lookup(session, actor=actor, uscc=uscc, year=year)
    pack = service.get_pack()
    awards = award_service.awards_for(session, uscc=answer["uscc"], period=answer["year"])
    guides = {
        item["clause"]: guide(pack, item["clause"], parse_period(answer["year"]))
        for item in answer["qualifying"]
    }
    return render(
        request, "policy/lookup.html", actor, a=answer, awards=awards, guides=guides, **common(pack)
    )
