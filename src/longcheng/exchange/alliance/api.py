"""JSON API of the alliance under /api/v1/exchange/alliance: rule versions, overrides, profiles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import fees, service
from longcheng.exchange.alliance.models import RuleVersion
from longcheng.exchange.alliance.schemas import OverrideIn, ProfileIn, ProposalIn, ReviewIn

router = APIRouter(prefix="/api/v1/exchange/alliance", tags=["exchange alliance 联盟"])


class VersionRead(BaseModel):
    version: str
    effective_from: date
    status: str
    diff: list[str]
    note: str
    proposed_by: str
    reviewed_by: str
    reviewed_at: datetime | None
    rules: dict[str, Any]


class OverrideRead(BaseModel):
    institution_code: str
    asset_class: str
    key: str
    value: int | str


class ProfileRead(BaseModel):
    institution_code: str
    portal_title: str
    brand_color: str
    bank_name: str
    bank_account: str
    contact: str
    intro: str


def _version(row: RuleVersion) -> dict[str, Any]:
    return {c: getattr(row, c) for c in VersionRead.model_fields}


@router.get("/rule-versions", response_model=list[VersionRead])
def list_versions(session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    """Every rulebook version, newest first, with its Chinese diff."""
    return [_version(v) for v in service.versions(session)]


@router.post("/rule-versions", status_code=201, response_model=VersionRead)
def propose(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Propose a new version (secretariat): the rules in force with the changes, dated."""
    data = validate(ProposalIn, body, code="exchange.alliance.invalid")
    row = service.propose(
        session,
        actor=actor,
        version=data.version,
        effective_from=data.effective_from,
        changes=data.changes,
        note=data.note,
    )
    return _version(row)


@router.post("/rule-versions/{version}/review", response_model=VersionRead)
def review(version: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Approve or reject a proposed version (another admin, or the supervisor)."""
    data = validate(ReviewIn, body, code="exchange.alliance.invalid")
    return _version(
        service.review(session, actor=actor, version=version, approve=data.approve, note=data.note)
    )


@router.put("/institutions/{code}/overrides", response_model=OverrideRead)
def set_override(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Set one override of the institution's rules, within the alliance's keys and bounds."""
    data = validate(OverrideIn, body, code="exchange.alliance.invalid")
    row = service.set_override(
        session,
        actor=actor,
        institution_code=code,
        asset_class=data.asset_class,
        key=data.key,
        value=data.value,
    )
    return {"institution_code": code, "asset_class": row.asset_class, "key": row.key, "value": row.value}


@router.get("/institutions/{code}/overrides", response_model=list[OverrideRead])
def list_overrides(code: str, session: DbSession) -> list[dict[str, Any]]:
    inst = parties.institution_by_code(session, code)
    return [
        {"institution_code": code, "asset_class": o.asset_class, "key": o.key, "value": o.value}
        for o in service.overrides_of(session, inst)
    ]


@router.put("/institutions/{code}/profile", response_model=ProfileRead)
def update_profile(
    code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """Change the institution's portal branding and settlement account (own institution only)."""
    data = validate(ProfileIn, body, code="exchange.alliance.invalid")
    row = service.update_profile(
        session, actor=actor, institution_code=code, data=data.model_dump(exclude_unset=True)
    )
    return {"institution_code": code, **{k: getattr(row, k) for k in ProfileIn.model_fields}}


class FeeRunRead(BaseModel):
    charged: list[str]
    refused: list[str]


class FeeLineRead(BaseModel):
    listing_code: str
    price_fen: int
    commission_fen: int
    role: str
    share_fen: int
    counterpart: str
    charged_at: datetime


class FeeStatementRead(BaseModel):
    institution_code: str
    total_share_fen: int
    total: int
    items: list[FeeLineRead]


@router.post("/fees/charge", response_model=FeeRunRead)
def charge_fees(session: DbSession, actor: CurrentActor) -> dict[str, list[str]]:
    """Charge and split the 佣金 of every 成交 lot not yet charged (own institution's; admin all)."""
    done, refused = fees.charge_due(session, actor=actor)
    return {"charged": [c.listing_code for c in done], "refused": refused}


@router.get("/institutions/{code}/fees", response_model=FeeStatementRead)
def fee_statement(code: str, session: DbSession, actor: CurrentActor, page: int = 1) -> dict[str, Any]:
    """The institution's fee statement, newest first (amounts in fen)."""
    inst, lines, total = fees.statement(session, actor=actor, institution_code=code, page=page)
    items = [
        {
            "listing_code": x.charge.listing_code,
            "price_fen": x.charge.price_fen,
            "commission_fen": x.charge.commission_fen,
            "role": x.role,
            "share_fen": x.share_fen,
            "counterpart": x.counterpart,
            "charged_at": x.charge.charged_at,
        }
        for x in lines.items
    ]
    return {"institution_code": inst.code, "total_share_fen": total, "total": lines.total, "items": items}
