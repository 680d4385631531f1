"""Page of ledger corrections: finance corrects the bank account of a payable the bank returned."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.errors import LongchengError, NotFound
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.grants import permissions as perm
from longcheng.grants.ledger import service
from longcheng.grants.ledger.schemas import AccountIn
from longcheng.grants.payments.models import Payable

router = APIRouter(include_in_schema=False)
TEMPLATE = "grants/payee_account.html"
FIELDS = ("account", "bank", "reason")


def _payable(session: DbSession, reference: str) -> Payable:
    found = session.scalar(select(Payable).where(Payable.reference == reference.strip().upper()))
    if found is None:
        raise NotFound("未找到该应付款。", code="grants.payable_not_found")
    return found


@router.get("/grants/finance/payables/{reference}/account")
def account_form(reference: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.PAYEE_CORRECT)
    payable = _payable(session, reference)
    return render_form(request, actor, TEMPLATE, values={"bank": payable.payee_bank}, payable=payable)


@router.post("/grants/finance/payables/{reference}/account")
async def account_save(reference: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    values = form_values(await request.form(), FIELDS)
    try:
        data = validate(AccountIn, values, code="grants.invalid")
        service.correct_account(session, actor=actor, reference=reference, data=data)
    except LongchengError as exc:
        if exc.status_code >= 500:
            raise
        return render_refused(
            request, session, actor, TEMPLATE, exc, values=values, payable=_payable(session, reference)
        )
    return RedirectResponse(f"/grants/finance?q={reference}", status_code=303)
