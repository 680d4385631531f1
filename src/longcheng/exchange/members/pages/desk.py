"""A member's own desk: its clients and mandates, recording a mandate with its 委托书, the
listings and bids it acts in; and revoking a mandate (the member's or an operator's)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.exchange import permissions as perm
from longcheng.exchange.listings import registrations
from longcheng.exchange.listings import service as listings
from longcheng.exchange.members import query
from longcheng.exchange.members import service as members
from longcheng.exchange.members.schemas import MANDATE_STATE_LABELS, MandateIn, RevokeIn

router = APIRouter(include_in_schema=False)
TEMPLATE = "exchange/members/desk.html"


def _context(session: Session, actor: Actor) -> dict[str, Any]:
    require(actor, perm.MEMBER_DESK)
    member = members.member_of(session, actor)
    return {
        "member": member,
        "mandates": [(m, b, members.mandate_state(m)) for m, b in query.mandates_of(session, member)],
        "acted": query.activity(session, member),
        "state_label": MANDATE_STATE_LABELS,
        "listing_status": listings.STATUS_LABELS,
        "reg_status": registrations.STATUS_LABELS,
        "may_act": member.status == "active",
    }


@router.get("/exchange/member")
def desk(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """会员工作台: only a member's login (经办人) reaches it; others get 403."""
    ctx = _context(session, actor)
    return render(request, TEMPLATE, actor, values={"kind": "org"}, errors={}, message="", **ctx)


def _client(data: MandateIn) -> members.ClientIn:
    """Who the client is, as the chosen kind says; the field left blank is named."""
    if data.kind == "org":
        if not data.uscc.strip():
            raise ValidationFailed(
                "请填写委托机构的统一社会信用代码。", code="exchange.invalid", details={"uscc": "必填"}
            )
        return members.ClientIn(uscc=data.uscc)
    if not data.name.strip():
        raise ValidationFailed("请填写委托人姓名。", code="exchange.invalid", details={"name": "必填"})
    return members.ClientIn(name=data.name, id_number=data.id_number)


async def _document(request: Request, file: UploadFile | None) -> tuple[str, bytes]:
    if file is None or not file.filename:
        raise ValidationFailed(
            "请上传委托书（PDF、PNG 或 JPG）。", code="exchange.mandate_document", details={"file": "必填"}
        )
    return file.filename, await file.read(state_of(request).settings.max_upload_bytes + 1)


def _refused(
    request: Request, session: Session, actor: Actor, exc: LongchengError, values: dict[str, str]
) -> Response:
    """The desk again at the refusal's status, the form as typed (never the resident ID)."""
    session.rollback()
    ctx = _context(session, actor)
    shown = {k: v for k, v in values.items() if k != "id_number"}
    return render(
        request,
        TEMPLATE,
        actor,
        status=exc.status_code,
        values=shown,
        errors=exc.details,
        message=exc.message_text,
        **ctx,
    )


@router.post("/exchange/member/mandates")
async def add_mandate(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kind: Annotated[str, Form()] = "org",
    uscc: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
    valid_from: Annotated[str, Form()] = "",
    valid_to: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Record a client's mandate with its 委托书; a refusal shows the form again as typed."""
    typed = {"kind": kind, "uscc": uscc, "name": name, "id_number": id_number}
    values = {k: v for k, v in {**typed, "valid_from": valid_from, "valid_to": valid_to}.items() if v}
    settings = state_of(request).settings
    try:
        require(actor, perm.MEMBER_DESK)
        data = validate(MandateIn, values, code="exchange.invalid")
        doc_name, doc = await _document(request, file)
        members.record_mandate(
            session,
            actor=actor,
            client=_client(data),
            valid_from=data.valid_from,
            valid_to=data.valid_to,
            doc_name=doc_name,
            doc=doc,
            root=settings.data_dir,
            max_bytes=settings.max_upload_bytes,
        )
    except LongchengError as exc:
        return _refused(request, session, actor, exc, values)
    return RedirectResponse("/exchange/member", status_code=303)


@router.post("/exchange/mandates/{mandate_id}/revoke")
def revoke(
    mandate_id: int, session: DbSession, actor: CurrentActor, reason: Annotated[str, Form()] = ""
) -> Response:
    """撤销授权 from a page: the member back to its desk, an operator back to the member."""
    data = validate(RevokeIn, {"reason": reason}, code="exchange.invalid")
    mandate = members.revoke_mandate(session, actor=actor, mandate_id=mandate_id, reason=data.reason)
    back = "/exchange/member" if actor.role is Role.bidder else f"/exchange/members/{mandate.member_id}"
    return RedirectResponse(back, status_code=303)
