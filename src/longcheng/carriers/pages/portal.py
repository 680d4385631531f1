"""The public carrier portal (no login): search with filters, and a carrier's page with its
vacancy over time and the firms in its park."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import APIRouter, Request
from starlette.responses import Response

from longcheng.carriers import service
from longcheng.carriers.api import carrier_json, firms_in, parse_filters
from longcheng.carriers.models import KIND_LABELS
from longcheng.carriers.service import photos
from longcheng.core.http import ActorOrNone, DbSession
from longcheng.core.templating import render
from longcheng.registry import reference

router = APIRouter(include_in_schema=False)


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


@router.get("/carriers")
def portal(
    request: Request,
    session: DbSession,
    actor: ActorOrNone,
    q: str = "",
    kind: str = "",
    district: str = "",
    min_area: str = "",
    max_rent: str = "",
    min_power: str = "",
    page: int = 1,
) -> Response:
    filters = parse_filters(q, kind, district, "", _int(min_area), _dec(max_rent), _int(min_power))
    page = max(1, min(page, 10_000))
    rows, total = service.search(session, filters=filters, page=page, page_size=20)
    return render(
        request,
        "carriers/portal.html",
        actor,
        rows=[carrier_json(c) for c in rows],
        total=total,
        page=page,
        kinds=KIND_LABELS,
        districts=reference.districts(),
        filters={
            "q": q,
            "kind": kind,
            "district": district,
            "min_area": min_area,
            "max_rent": max_rent,
            "min_power": min_power,
        },
    )


@router.get("/carriers/{code}")
def carrier_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    carrier = service.get(session, code=code)
    return render(
        request,
        "carriers/carrier.html",
        actor,
        c=carrier_json(carrier),
        vacancy=service.vacancy(session, carrier=carrier),
        firms=firms_in(session, carrier),
        photos=photos.photos_of(session, carrier_id=carrier.id),
    )
