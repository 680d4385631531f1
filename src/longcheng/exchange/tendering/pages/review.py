"""The 评标 page (panel draw and replacement, the expert's declaration then scores, the compliance
findings of 谈判/询价) and the 中标候选人公示 page (candidates, objections, replies, award)."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from longcheng.core.auth import can
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.core.http import ActorOrNone, CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.exchange.tendering import evaluation, opening, procedures, query, replacement, rounds, service
from longcheng.exchange.tendering.models import Tender
from longcheng.exchange.tendering.pages.public import back
from longcheng.experts import service as experts_service

router = APIRouter(include_in_schema=False)
PANEL_STATES = {
    "panel": "在任",
    "conflict": "利益冲突回避",
    "recused": "声明回避（已补抽）",
    "absent": "缺席（已补抽）",
}


def _expert_view(session: DbSession, actor: CurrentActor, t: Tender) -> dict[str, Any]:
    seat = query.seat_of(session, actor, t)
    if seat is None:
        return {"seat": None}
    ctx = evaluation.context(t)
    declared = experts_service.declared(session, actor=actor, context=ctx, ref=t.code)
    bids = evaluation.bids_for_expert(session, actor=actor, code=t.code) if declared else []
    return {
        "seat": seat,
        "declared": declared,
        "my_bids": bids,
        "my_scores": query.my_scores(session, t, seat.expert_id),
    }


@router.get("/exchange/tenders/{code}/evaluation")
def evaluation_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Staff see the panel and the ranking; a panel expert sees the declaration, then the bids."""
    t = service.get(session, code)
    staff = query.manages(session, actor, t)
    mine = _expert_view(session, actor, t)
    if not staff and mine["seat"] is None:
        raise PermissionDenied(
            "只有本项目的评标专家和所属交易机构工作人员可以查看评标页面。", code="tendering.not_staff"
        )
    ranked = evaluation.ranking(session, t) if staff and t.opened_at else []
    valid = query.opened_bids(session, t) if staff else []
    ids = [r.bid.bidder_id for r in ranked] + [b.bidder_id for b in valid + mine.get("my_bids", [])]
    return render(
        request,
        "exchange/tender_evaluation.html",
        actor,
        t=t,
        tabs=query.tabs(session, actor, t),
        staff=staff,
        can_draw=staff and can(actor, "experts.assign"),
        rows=query.panel_rows(session, t) if staff else [],
        panel_states=PANEL_STATES,
        ranked=ranked,
        valid=valid,
        names=query.names_of(session, ids),
        rule=procedures.rule(t.procedure),
        **mine,
    )


@router.post("/exchange/tenders/{code}/panel")
def draw_submit(code: str, session: DbSession, actor: CurrentActor) -> Response:
    evaluation.draw_panel(session, actor=actor, code=code, seed=secrets.randbelow(2**31))
    return back(code, "evaluation")


@router.post("/exchange/tenders/{code}/panel/absent")
def absent_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    expert_code: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    replacement.mark_absent(session, actor=actor, code=code, expert_code=expert_code, reason=reason)
    return back(code, "evaluation")


@router.post("/exchange/tenders/{code}/declaration")
def declare_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    has_conflict: Annotated[str, Form()] = "",
    statement: Annotated[str, Form()] = "",
) -> Response:
    replacement.declare(
        session, actor=actor, code=code, has_conflict=has_conflict == "yes", statement=statement
    )
    return back(code, "evaluation")


@router.post("/exchange/tenders/{code}/evaluations")
def score_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    bid_id: Annotated[int, Form()],
    technical: Annotated[int, Form()],
    comment: Annotated[str, Form()] = "",
) -> Response:
    evaluation.score_bid(session, actor=actor, code=code, bid_id=bid_id, technical=technical, comment=comment)
    return back(code, "evaluation")


@router.post("/exchange/tenders/{code}/judgements")
def judge_submit(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    bid_id: Annotated[int, Form()],
    compliant: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    rounds.judge(
        session, actor=actor, code=code, bid_id=bid_id, compliant=compliant == "yes", note=note.strip()
    )
    return back(code, "evaluation")


@router.get("/exchange/tenders/{code}/publicity")
def publicity_page(code: str, request: Request, session: DbSession, actor: ActorOrNone) -> Response:
    """The candidates (public once published); objections for the staff and for the bidder who filed."""
    t = service.get(session, code)
    staff = query.manages(session, actor, t)
    entrant = query.entrant_of(session, actor, t)
    shown = t.status in ("publicity", "awarded")
    cands = opening.candidates(session, t) if shown else []
    objections = [
        (o, n)
        for o, n in query.objections(session, t)
        if staff or (entrant and o.bidder_id == entrant.bidder_id)
    ]
    return render(
        request,
        "exchange/tender_publicity.html",
        actor,
        t=t,
        tabs=query.tabs(session, actor, t),
        staff=staff,
        entrant=entrant,
        candidates=cands,
        names=query.names_of(session, [c.bidder_id for c in cands]),
        objections=objections,
        status_label=query.STATUS,
    )


@router.post("/exchange/tenders/{code}/publicity")
def publicity_submit(code: str, session: DbSession, actor: CurrentActor) -> Response:
    opening.start_publicity(session, actor=actor, code=code)
    return back(code, "publicity")


@router.post("/exchange/tenders/{code}/objections")
def objection_submit(
    code: str, session: DbSession, actor: CurrentActor, text: Annotated[str, Form()] = ""
) -> Response:
    opening.object_(session, actor=actor, code=code, text=_text(text, 5, "异议内容"))
    return back(code, "publicity")


@router.post("/exchange/tenders/{code}/objections/{oid}/reply")
def reply_submit(
    code: str, oid: int, session: DbSession, actor: CurrentActor, reply: Annotated[str, Form()] = ""
) -> Response:
    opening.reply(session, actor=actor, code=code, objection_id=oid, text=_text(reply, 2, "答复"))
    return back(code, "publicity")


@router.post("/exchange/tenders/{code}/award")
def award_submit(
    code: str, session: DbSession, actor: CurrentActor, contract_no: Annotated[str, Form()] = ""
) -> Response:
    opening.award(session, actor=actor, code=code, contract_no=_text(contract_no, 2, "合同编号"))
    return back(code, "publicity")


def _text(value: str, minimum: int, label: str) -> str:
    clean = value.strip()
    if len(clean) < minimum:
        raise ValidationFailed(f"请填写{label}（至少 {minimum} 个字）。", code="exchange.tender.invalid")
    return clean
