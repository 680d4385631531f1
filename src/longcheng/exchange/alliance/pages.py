"""The alliance rulebook page: versions with their diffs, the rules in force, members' overrides."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.core.http import ActorOrNone, DbSession
from longcheng.core.templating import render
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import service
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
