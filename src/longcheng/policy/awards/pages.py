"""Officers' 免申即享 page: the confirmation list under a clause, decisions, and its XLSX export."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.errors import ValidationFailed
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import ListQuery, export_limit, xlsx_response
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.policy import export, service
from longcheng.policy.awards import service as award_service
from longcheng.policy.pages import staff_common
from longcheng.policy.schemas import AwardDecision, AwardFilter

router = APIRouter(include_in_schema=False)


AwardFilterDep = Annotated[AwardFilter, Depends()]


@router.get("/policy/awards")
def awards_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: AwardFilterDep, page: int = 1
) -> Response:
    award_list = award_service.award_list(session, actor=actor, filters=filters, page=page)
    pack = service.get_pack()
    return render(
        request,
        "policy/awards.html",
        actor,
        award_list=award_list,
        f=filters,
        listing=ListQuery.of(request),
        award_clauses=award_service.award_clauses(pack),
        status_labels=award_service.STATUS_LABELS,
        message=request.query_params.get("done"),
        error=None,
        **staff_common(),
    )


@router.post("/policy/awards/decide")
async def decide(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Confirm or withhold the ticked firms (or every firm still to confirm in the filtered list)."""
    form = await request.form()
    filters = AwardFilter.model_validate({k: form.get(k) for k in ("clause", "year", "district", "q")})
    usccs = [str(v) for v in form.getlist("uscc")]
    if form.get("all_pending"):
        usccs = award_service.pending_usccs(session, actor=actor, filters=filters)
    if not usccs:
        raise ValidationFailed(
            "请先勾选要处理的企业（或筛选结果中没有待确认的企业）。", code="policy.nothing_selected"
        )
    year = filters.year or str(service.default_year(service.get_pack()))
    body = {
        "clause": filters.clause or award_service.award_clauses(service.get_pack())[0].id,
        "year": int(year),
    }
    body |= {
        "usccs": usccs,
        "decision": str(form.get("decision") or "confirmed"),
        "note": str(form.get("note") or ""),
    }
    count = award_service.decide(
        session, actor=actor, data=validate(AwardDecision, body, code="policy.invalid")
    )
    query = f"clause={body['clause']}&year={year}&done={count}"
    return RedirectResponse(f"/policy/awards?{query}", status_code=303)


@router.get("/policy/awards.xlsx")
def awards_export(
    request: Request, session: DbSession, actor: CurrentActor, filters: AwardFilterDep
) -> Response:
    limit = export_limit(request)
    clause, rows = award_service.iter_award_rows(session, actor=actor, filters=filters, limit=limit)
    return xlsx_response(export.awards_xlsx(clause, rows), f"policy-awards-{clause.id}.xlsx")
