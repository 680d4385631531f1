"""Pages of innovation vouchers: the list (search, filters, paging, XLSX) and the providers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.exporting import write_xlsx
from longcheng.core.forms import form_values, render_form, render_refused
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.validation import validate
from longcheng.grants import permissions as perm
from longcheng.grants.engine.bank import yuan_to_fen
from longcheng.grants.programmes import service as programmes
from longcheng.grants.vouchers import service, views
from longcheng.grants.vouchers.models import CATEGORIES, VOUCHER_STATES
from longcheng.grants.vouchers.schemas import IssueIn, VoucherFilter

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[VoucherFilter, Depends()]
HEADERS = ("券号", "企业", "统一社会信用代码", "券面金额（元）", "用途", "有效期至", "状态", "服务合同")


@router.get("/grants/vouchers")
def list_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep, paging: Paging
) -> Response:
    result = views.list_vouchers(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "grants/vouchers.html",
        "grants/_vouchers_table.html",
        result,
        filters,
        states=list(VOUCHER_STATES.items()),
        purposes=list(CATEGORIES.items()),
        categories=CATEGORIES,
        providers=views.providers(session, actor=actor),
    )


@router.get("/grants/vouchers.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = (
        [
            v.code,
            v.firm_name,
            v.firm_uscc,
            f"{v.amount_fen / 100:.2f}",
            CATEGORIES.get(v.purpose, v.purpose),
            v.valid_until.isoformat(),
            v.state_label,
            v.contract_ref,
        ]
        for v in views.iter_vouchers(session, actor=actor, filters=filters, limit=export_limit(request))
    )
    return xlsx_response(write_xlsx("创新券", HEADERS, rows), "grants-vouchers.xlsx")


ISSUE_FIELDS = ("programme", "fiscal_year", "firm_uscc", "amount", "purpose", "valid_until")


def _issue_choices(session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    found = programmes.iter_programmes(session, actor=actor, filters=programmes.ProgrammeFilter(), limit=500)
    return {"programmes": [(p.code, p.name) for p in found], "purposes": list(CATEGORIES.items())}


@router.get("/grants/vouchers/issue")
def issue_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, perm.VOUCHER_ISSUE)
    values = {"fiscal_year": local_today().year}
    return render_form(
        request, actor, "grants/voucher_issue.html", values=values, **_issue_choices(session, actor)
    )


@router.post("/grants/vouchers/issue")
async def issue_submit(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """发放创新券 from a form: the amount in yuan, the firm by its credit code."""
    values = form_values(await request.form(), ISSUE_FIELDS)
    body = {k: v for k, v in values.items() if k != "amount"}
    try:
        try:
            body["amount_fen"] = yuan_to_fen(str(values.get("amount", "")))
        except ValueError as exc:
            raise ValidationFailed(
                str(exc), code="grants.bad_amount", details={"amount_fen": str(exc)}
            ) from None
        voucher = service.issue(session, actor=actor, data=validate(IssueIn, body, code="grants.invalid"))
    except LongchengError as exc:
        return render_refused(
            request,
            session,
            actor,
            "grants/voucher_issue.html",
            exc,
            values=values,
            **_issue_choices(session, actor),
        )
    return RedirectResponse(f"/grants/vouchers?q={voucher.code}", status_code=303)
