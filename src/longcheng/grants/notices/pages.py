"""Downloads of the decision and payment notices (PDF), for the firm (its own) and staff."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import content_disposition
from longcheng.grants.notices import service

router = APIRouter(include_in_schema=False)


def _pdf(name_and_bytes: tuple[str, bytes]) -> Response:
    name, data = name_and_bytes
    return Response(
        data, media_type="application/pdf", headers={"Content-Disposition": content_disposition(name)}
    )


@router.get("/grants/applications/{number}/decision.pdf")
def decision_pdf(number: str, session: DbSession, actor: CurrentActor) -> Response:
    return _pdf(service.decision_notice(session, actor=actor, number=number))


@router.get("/grants/applications/{number}/payment.pdf")
def payment_pdf(number: str, session: DbSession, actor: CurrentActor) -> Response:
    return _pdf(service.payment_notice(session, actor=actor, number=number))


@router.post("/grants/programmes/{code}/subscribe")
def subscribe_page(code: str, session: DbSession, actor: CurrentActor) -> Response:
    service.subscribe(session, actor=actor, programme_code=code)
    return RedirectResponse(f"/grants/programmes/{code.upper()}", status_code=303)


@router.post("/grants/programmes/{code}/unsubscribe")
def unsubscribe_page(code: str, session: DbSession, actor: CurrentActor) -> Response:
    service.unsubscribe(session, actor=actor, programme_code=code)
    return RedirectResponse(f"/grants/programmes/{code.upper()}", status_code=303)
