"""The alliance rulebook page (versions with their diffs, the rules in force, members' overrides)
and the fee statement of an institution (佣金结算单) with its XLSX export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.actors import Role
from longcheng.core.auth import can
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import fees, service
from longcheng.exchange.alliance import permissions as perm
from longcheng.exchange.charter import terms
from longcheng.exchange.charter.diff import value_zh
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS

router = APIRouter(include_in_schema=False)


@router.get("/exchange/alliance/rulebook")
def alliance_rulebook(request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """The alliance's one rulebook in Chinese (no login): in force, history, overrides, bounds."""
    version, rules = service.in_force(session)
    insts = parties.institutions(session)
    return render(
        request,
        "exchange/alliance_rulebook.html",
        actor,
        version=version,
        rules=rules,
        classes=book.load().classes,
        labels=RULE_LABELS,
        versions=service.versions(session),
        charter=terms.load(),
        zh=value_zh,
        overrides={i.name: service.overrides_of(session, i) for i in insts},
    )


@router.get("/exchange/alliance/fees")
def fees_page(
    request: Request, session: DbSession, actor: CurrentActor, paging: Paging, inst: str = "", q: str = ""
) -> Response:
    """One institution's fee statement (an operator its own; the secretariat and supervisor any)."""
    chosen, page, total = fees.statement(
        session, actor=actor, institution_code=inst, q=q, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "exchange/alliance_fees.html",
        "exchange/_alliance_fees_table.html",
        page,
        {"inst": chosen.code, "q": q},
        inst=chosen,
        total=total,
        institutions=[(i.code, i.name) for i in parties.institutions(session)],
        pick_institution=actor.role in (Role.admin, Role.auditor),
        due=fees.due(session, actor=actor) if can(actor, perm.FEES_CHARGE) else [],
    )


@router.get("/exchange/alliance/fees.xlsx")
def fees_export(
    request: Request, session: DbSession, actor: CurrentActor, inst: str = "", q: str = ""
) -> Response:
    rows = fees.statement_rows(session, actor=actor, institution_code=inst, q=q, limit=export_limit(request))
    return xlsx_response(
        write_xlsx("佣金结算单", fees.STATEMENT_HEADERS, rows), "exchange-fee-statement.xlsx"
    )


@router.post("/exchange/alliance/fees/charge")
def fees_charge(session: DbSession, actor: CurrentActor) -> Response:
    """Charge every 成交 lot not yet charged (own institution's; the secretariat all)."""
    fees.charge_due(session, actor=actor)
    return RedirectResponse("/exchange/alliance/fees", status_code=303)
