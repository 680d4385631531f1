"""一键申报: start from the policy result (prefilled from the registry), save drafts, submit.

The window closes at ``closes_at`` inclusive: a submission at that second is accepted, one a
second later is refused. A firm has one application per programme and fiscal year. Every
submission keeps a version (never overwritten) and issues a receipt number.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import format_local, local_today, utcnow
from longcheng.core.errors import Conflict, LongchengError, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.pii import masking, vault
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application, ApplicationVersion
from longcheng.grants.applications.schemas import DraftIn
from longcheng.grants.applications.service import files as uploads
from longcheng.grants.applications.service.base import ENTITY, get, set_stage
from longcheng.grants.engine import forms
from longcheng.grants.payments.service import PAYEE_ACCOUNT_PURPOSE
from longcheng.grants.programmes.models import Programme, Window
from longcheng.policy import service as policy_service
from longcheng.registry import service as registry_service


class WindowClosed(Conflict):
    code = "grants.window_closed"
    message = "申报批次已截止，未受理本次提交。"


def _window(session: Session, window_id: int) -> tuple[Window, Programme]:
    window = session.get(Window, window_id)
    if window is None:
        raise NotFound("未找到该申报批次。", code="grants.window_not_found")
    programme = session.get(Programme, window.programme_id)
    assert programme is not None
    return window, programme


def policy_amount(
    session: Session, actor: Actor, clause: str | None, uscc: str, year: int
) -> tuple[int | None, dict[str, Any]]:
    """The amount the policy engine computes for the firm under the clause, and why."""
    if not clause:
        return None, {}
    try:
        answer = policy_service.lookup(session, actor=actor, uscc=uscc, year=year)
    except LongchengError:
        return None, {"note": "政策引擎无法计算该年度金额。"}
    for item in answer.get("qualifying", []):
        if item.get("clause") == clause:
            return int(item["amount_fen"]), item
    for item in answer.get("not_qualifying", []):
        if item.get("clause") == clause:
            return 0, {"note": item.get("reason", "")}
    return None, {"note": "政策引擎未找到该条款。"}


def start(session: Session, *, actor: Actor, window_id: int, now: datetime | None = None) -> Application:
    """A draft for the actor's firm, prefilled from the registry, amount from the policy engine."""
    require(actor, perm.APPLY)
    if not actor.org_uscc:
        raise PermissionDenied("您的账号未绑定企业。", code="grants.no_org")
    window, programme = _window(session, window_id)
    if window.state_at(now or utcnow()) == "closed":
        raise WindowClosed()
    existing = session.scalar(
        select(Application).where(
            Application.programme_id == programme.id,
            Application.fiscal_year == window.fiscal_year,
            Application.applicant_uscc == actor.org_uscc,
        )
    )
    if existing is not None:
        raise Conflict(
            f"贵单位已有该专项 {window.fiscal_year} 年度的申报（{existing.number}），"
            "同一专项同一年度只能申报一次。",
            code="grants.duplicate_application",
            details={"number": existing.number},
        )
    org = registry_service.get_by_uscc(session, actor=actor, uscc=actor.org_uscc)
    fen, why = policy_amount(session, actor, programme.policy_clause, org.uscc, window.fiscal_year)
    app = Application(
        number=f"TMP{utcnow().timestamp():.6f}",
        window_id=window.id,
        programme_id=programme.id,
        fiscal_year=window.fiscal_year,
        applicant_uscc=org.uscc,
        applicant_name=org.name,
        district=org.district,
        stage="draft",
        requested_fen=fen or 0,
        policy_fen=fen,
        policy_explanation=json.dumps(why, ensure_ascii=False, default=str),
    )
    session.add(app)
    session.flush()
    app.number = f"SB{window.fiscal_year}{app.id:06d}"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.application.start",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"专项": programme.name, "申报单位": org.name, "政策测算金额": f"{(fen or 0) / 100:,.2f} 元"},
    )
    return app


def save(session: Session, *, actor: Actor, number: str, data: DraftIn) -> Application:
    """Autosave of a draft (or of a returned application being corrected)."""
    require(actor, perm.APPLY)
    app = get(session, actor=actor, number=number)
    if app.stage not in ("draft", "returned"):
        raise Conflict("申报已提交，不能再修改。", code="grants.application_locked")
    if data.requested_fen is not None:
        app.requested_fen = data.requested_fen
    if data.form:
        app.form_data = json.dumps({**json.loads(app.form_data), **data.form}, ensure_ascii=False)
    if data.bank_account:
        digits = data.bank_account.replace(" ", "")
        app.account_token = vault.encrypt(digits, purpose=PAYEE_ACCOUNT_PURPOSE)
        app.account_masked = masking.mask_bank_account(digits)
    if data.bank_name:
        app.bank_name = data.bank_name
    session.flush()
    return app


def _check_submission(app: Application, window: Window, pledge: bool, uploaded: set[str]) -> None:
    problems = forms.validate(json.loads(window.form_fields), json.loads(app.form_data))
    for item in json.loads(window.checklist):
        if item.get("required", True) and item["code"] not in uploaded:
            problems[f"file_{item['code']}"] = f"请上传“{item['label']}”"
    if app.requested_fen <= 0:
        problems["requested_fen"] = "请填写申请金额"
    elif app.policy_fen is not None and app.requested_fen > app.policy_fen:
        problems["requested_fen"] = f"申请金额不能超过政策测算金额 {app.policy_fen / 100:,.2f} 元"
    if not app.account_token:
        problems["bank_account"] = "请填写收款账号"
    if not pledge:
        problems["pledge"] = "请阅读并接受《申报承诺书》"
    if problems:
        raise ValidationFailed(
            "申报材料不完整：" + "；".join(problems.values()), code="grants.incomplete", details=problems
        )


def submit(session: Session, *, actor: Actor, number: str, pledge: bool, now: datetime | None = None) -> str:
    """Submit (or resubmit after 退回补正); returns the receipt number. Refused after the window's
    last second (a correction is accepted until its own deadline)."""
    require(actor, perm.APPLY)
    app = get(session, actor=actor, number=number, lock=True)
    if app.stage not in ("draft", "returned"):
        raise Conflict("该申报已提交。", code="grants.already_submitted")
    window, _ = _window(session, app.window_id)
    at = now or utcnow()
    late = window.state_at(at) != "open"
    if app.stage == "returned" and app.return_due is not None:
        late = local_today() > app.return_due
    if late:
        when = format_local(window.closes_at, "%Y-%m-%d %H:%M:%S")
        raise WindowClosed(f"申报批次已于北京时间 {when} 截止，未受理本次提交。")
    _check_submission(app, window, pledge, set(uploads.latest(session, app.id)))
    app.versions += 1
    app.pledge_at, app.submitted_at = at, at
    session.add(
        ApplicationVersion(
            application_id=app.id,
            version=app.versions,
            requested_fen=app.requested_fen,
            form_data=app.form_data,
            submitted_at=at,
            actor=actor.label,
        )
    )
    set_stage(session, actor, app, "submitted", "企业提交申报" if app.versions == 1 else "企业补正后重新提交")
    return f"{app.number}-{app.versions}"
