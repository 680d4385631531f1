"""Pages of capabilities: the public list and a capability's page with the challenges it fits."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.core.http import ActorOrNone, DbSession
from longcheng.core.templating import render
from longcheng.matching.capabilities import service
from longcheng.matching.capabilities.api import capability_json

router = APIRouter(include_in_schema=False)


@router.get("/matching/capabilities")
def listing(request: Request, session: DbSession, actor: ActorOrNone, q: str = "", page: int = 1) -> Response:
    page = max(1, min(page, 10_000))
    rows, total = service.search(session, q=q.strip()[:100], page=page)
    return render(
        request,
        "matching/capabilities.html",
        actor,
        rows=[capability_json(r) for r in rows],
        total=total,
        page=page,
        q=q,
    )


@router.get("/matching/capabilities/{code}")
def capability_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    row = service.get(session, code=code)
    return render(
        request,
        "matching/capability.html",
        actor,
        c=capability_json(row),
        description=row.description,
        matches=service.for_capability(session, code=code),
    )
