"""Members (会员/经纪机构) acting for clients.

An institution's admin binds logins to a member (``MemberOperator``). A member's login records a
client — an organisation by USCC or a natural person by resident ID, enrolled as a bidder if not
yet — with the client's authorisation: the 委托书 document (kept by hash in the file store) and
the dates it is valid. Inside those dates the member's login registers, pays the deposit and
bids for the client (:func:`acting_for`); the registration keeps the member, its audit record
names both, and the client sees the member on its own registration.

A mandate ends early when the member or an operator of its institution revokes it with a reason
(:func:`revoke_mandate`); from then on, as after its last day, the member can no longer register,
pay or bid for that client (``exchange.mandate_revoked`` / ``exchange.mandate_expired``). A
suspended member (:func:`update_member`) acts for no client (``exchange.member_suspended``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import format_local, local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.pii import ids, vault
from longcheng.core.users import User
from longcheng.exchange import files
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.members.schemas import STATUS_LABELS, MemberIn
from longcheng.exchange.models import Bidder, Institution, Mandate, Member, MemberOperator

ENTITY = "exchange_mandate"


def get_member(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("未找到该会员。", code="exchange.member_not_found")
    return member


def add_operator(session: Session, *, actor: Actor, member_id: int, user_id: int) -> MemberOperator:
    """Bind a login (role 竞买人, not itself a bidder) to act for the member."""
    require(actor, perm.INSTITUTION_MANAGE)
    member = get_member(session, member_id)
    user = session.get(User, user_id)
    if user is None or user.role != Role.bidder.value:
        raise ValidationFailed("会员经办人须为“竞买人”角色的登录账号。", code="exchange.member_operator_role")
    if session.scalar(select(Bidder.id).where(Bidder.user_id == user_id)):
        raise Conflict(
            "该账号已绑定竞买人身份，不能同时作为会员经办人。", code="exchange.member_operator_is_bidder"
        )
    if session.scalar(select(MemberOperator.id).where(MemberOperator.user_id == user_id)):
        raise Conflict("该账号已是会员经办人。", code="exchange.member_operator_exists")
    row = MemberOperator(member_id=member.id, user_id=user_id)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.member.operator",
        entity_type="exchange_member",
        entity_id=str(member.id),
        after={"会员名称": member.name, "经办人账号": user.username},
    )
    return row


def member_of(session: Session, actor: Actor) -> Member:
    """The member the acting login works for."""
    row = (
        session.scalar(select(MemberOperator).where(MemberOperator.user_id == actor.id)) if actor.id else None
    )
    if row is None:
        raise PermissionDenied("您的账户不是会员经办人。", code="exchange.not_member")
    return get_member(session, row.member_id)


def is_member_login(session: Session, actor: Actor) -> bool:
    """True when the login acts for a member (it then has a desk, not a bidder page)."""
    if actor.id is None:
        return False
    return session.scalar(select(MemberOperator.id).where(MemberOperator.user_id == actor.id)) is not None


@dataclass(frozen=True)
class ClientIn:
    """Who the client is: ``uscc`` for an organisation, or ``name`` and ``id_number`` for a person."""

    uscc: str = ""
    name: str = ""
    id_number: str = ""


def _client(session: Session, data: ClientIn) -> Bidder:
    """The client's bidder identity, enrolled now if it is not one yet."""
    if data.uscc.strip():
        uscc = data.uscc.strip().upper()
        found = session.scalar(select(Bidder).where(Bidder.uscc == uscc))
        return found or parties.enrol_org_bidder(session, actor=SYSTEM, uscc=uscc)
    resident = ids.parse_resident_id(data.id_number)
    index = vault.blind_index(resident.number, purpose="person.resident_id")
    found = session.scalar(select(Bidder).where(Bidder.id_index == index))
    return found or parties.enrol_person_bidder(
        session, actor=SYSTEM, name=data.name, id_number=data.id_number
    )


def _check_dates(valid_from: date, valid_to: date) -> None:
    if valid_to < valid_from:
        raise ValidationFailed(
            "授权截止日期不能早于起始日期。",
            code="exchange.mandate_dates",
            details={"valid_to": "早于起始日期"},
        )
    if valid_to < local_today():
        raise ValidationFailed(
            "授权已过期，不能登记。", code="exchange.mandate_expired", details={"valid_to": "已过期"}
        )


def record_mandate(
    session: Session,
    *,
    actor: Actor,
    client: ClientIn,
    valid_from: date,
    valid_to: date,
    doc_name: str,
    doc: bytes,
    root: Path,
    max_bytes: int,
) -> Mandate:
    """Record a client's authorisation of the actor's member, with its document and dates."""
    member = member_of(session, actor)
    _check_dates(valid_from, valid_to)
    stored = files.store(root, doc_name, doc, max_bytes=max_bytes)
    bidder = _client(session, client)
    mandate = Mandate(
        member_id=member.id,
        bidder_id=bidder.id,
        valid_from=valid_from,
        valid_to=valid_to,
        doc_name=stored.name,
        doc_sha256=stored.sha256,
        doc_size=stored.size,
        doc_type=stored.media_type,
        recorded_by=actor.label,
    )
    session.add(mandate)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.mandate.create",
        entity_type=ENTITY,
        entity_id=str(mandate.id),
        after={
            "会员": member.name,
            "委托人": bidder.name,
            "授权期限": f"{valid_from.isoformat()} 至 {valid_to.isoformat()}",
            "委托书": stored.name,
            "委托书SHA-256": stored.sha256,
        },
    )
    return mandate


def mandate_state(mandate: Mandate, on: date | None = None) -> str:
    """``valid``, ``pending`` (not yet in force), ``expired`` or ``revoked`` on ``on`` (today)."""
    day = on or local_today()
    if mandate.revoked_at is not None:
        return "revoked"
    if day < mandate.valid_from:
        return "pending"
    return "expired" if mandate.valid_to < day else "valid"


def _revoked(mandate: Mandate) -> PermissionDenied:
    when = format_local(mandate.revoked_at) if mandate.revoked_at else ""
    return PermissionDenied(
        f"该委托人的授权已于 {when} 撤销（{mandate.revoke_reason}），贵会员不能再代为报名、交纳保证金"
        "或报价；如委托人重新授权，请登记新的委托书。",
        code="exchange.mandate_revoked",
    )


def valid_mandate(session: Session, member: Member, bidder_id: int, on: date | None = None) -> Mandate:
    """The member's mandate from the client valid on ``on`` (today), or a refusal that says why:
    revoked, expired, or none at all."""
    day = on or local_today()
    stmt = select(Mandate).where(Mandate.member_id == member.id, Mandate.bidder_id == bidder_id)
    held = list(session.scalars(stmt.order_by(Mandate.valid_to.desc(), Mandate.id.desc())))
    states = [(mandate_state(m, day), m) for m in held]
    for state, mandate in states:
        if state == "valid":
            return mandate
    for state, mandate in states:
        if state == "revoked" and mandate.valid_from <= day <= mandate.valid_to:
            raise _revoked(mandate)
    for state, mandate in states:
        if state == "expired":
            raise PermissionDenied(
                f"该委托人的授权已于 {mandate.valid_to.isoformat()} 到期，贵会员不能再代为办理；"
                "如需继续代理，请登记新的委托书。",
                code="exchange.mandate_expired",
            )
    raise PermissionDenied("贵会员没有该委托人在有效期内的授权，不能代为办理。", code="exchange.no_mandate")


@contextmanager
def acting_for(session: Session, *, actor: Actor, bidder_id: int) -> Iterator[Bidder]:
    """Within the block the member's login acts as the client (registration, deposit, bids)."""
    member = member_of(session, actor)
    if member.status != "active":
        raise PermissionDenied(
            "贵会员已被交易机构暂停，暂不能代委托人办理业务；请联系交易机构。",
            code="exchange.member_suspended",
        )
    valid_mandate(session, member, bidder_id)
    client = session.get(Bidder, bidder_id)
    assert client is not None
    assert actor.id is not None
    with parties.acting(parties.Acting(actor.id, client.id, member.id, member.name)):
        yield client


def clients(session: Session, *, actor: Actor) -> list[tuple[Mandate, Bidder]]:
    member = member_of(session, actor)
    stmt = (
        select(Mandate, Bidder)
        .join(Bidder, Bidder.id == Mandate.bidder_id)
        .where(Mandate.member_id == member.id)
        .order_by(Mandate.id.desc())
    )
    return [(m, b) for m, b in session.execute(stmt)]


def get_mandate(session: Session, mandate_id: int) -> Mandate:
    mandate = session.get(Mandate, mandate_id)
    if mandate is None:
        raise NotFound("未找到该授权记录。", code="exchange.mandate_not_found")
    return mandate


def mandate_document(session: Session, *, actor: Actor, mandate_id: int, root: Path) -> tuple[Mandate, bytes]:
    """The 委托书: for the member that holds it, the client it names, and the institution's staff."""
    mandate = get_mandate(session, mandate_id)
    allowed = actor.role in (Role.admin, Role.auditor)
    if actor.role is Role.operator:
        inst = parties.institution_of(session, actor)
        allowed = inst is not None and get_member(session, mandate.member_id).institution_id == inst.id
    if actor.role is Role.bidder:
        own = session.scalar(select(MemberOperator.member_id).where(MemberOperator.user_id == actor.id))
        bidder = session.scalar(select(Bidder.id).where(Bidder.user_id == actor.id))
        allowed = own == mandate.member_id or bidder == mandate.bidder_id
    if not allowed:
        raise NotFound("未找到该授权记录。", code="exchange.mandate_not_found")
    return mandate, files.read(root, mandate.doc_sha256)


def may_revoke(session: Session, actor: Actor, mandate: Mandate) -> bool:
    """The member holding the mandate, an operator of the member's institution, or an admin."""
    if actor.role is Role.admin:
        return True
    if actor.role is Role.operator:
        inst = parties.institution_of(session, actor)
        return inst is not None and get_member(session, mandate.member_id).institution_id == inst.id
    if actor.role is Role.bidder and actor.id is not None:
        own = session.scalar(select(MemberOperator.member_id).where(MemberOperator.user_id == actor.id))
        return own == mandate.member_id
    return False


def revoke_mandate(session: Session, *, actor: Actor, mandate_id: int, reason: str) -> Mandate:
    """End a mandate before its date (撤销授权): from now the member cannot act for the client
    under it. Revoking twice is a conflict, so the first reason and time stay on record."""
    require(actor, perm.MANDATE_REVOKE)
    mandate = get_mandate(session, mandate_id)
    if not may_revoke(session, actor, mandate):
        raise NotFound("未找到该授权记录。", code="exchange.mandate_not_found")
    if mandate.revoked_at is not None:
        raise Conflict(
            f"该授权已于 {format_local(mandate.revoked_at)} 由{mandate.revoked_by}撤销，无需重复撤销。",
            code="exchange.mandate_already_revoked",
        )
    mandate.revoked_at = utcnow()
    mandate.revoked_by = actor.label
    mandate.revoke_reason = reason
    session.flush()
    client = session.get(Bidder, mandate.bidder_id)
    audit.record(
        session,
        actor=actor,
        action="exchange.mandate.revoke",
        entity_type=ENTITY,
        entity_id=str(mandate.id),
        before={"状态": "有效"},
        after={
            "状态": "已撤销",
            "会员": get_member(session, mandate.member_id).name,
            "委托人": client.name if client else "",
            "撤销原因": reason,
        },
        reason=reason,
    )
    return mandate


def create_member(session: Session, *, actor: Actor, data: MemberIn) -> Member:
    """Admit a member to the operator's own institution (an admin names one, or gets the first)."""
    inst = parties.acting_institution(session, actor, data.institution)
    return parties.add_member(
        session, actor=actor, institution=inst, name=data.name, uscc=data.uscc, status=data.status
    )


def update_member(session: Session, *, actor: Actor, member_id: int, data: MemberIn) -> Member:
    """Change a member's name, USCC or status (暂停 stops it acting for any client)."""
    require(actor, perm.MEMBER_MANAGE)
    member = get_member(session, member_id)
    inst = session.get(Institution, member.institution_id)
    assert inst is not None
    perm.require_own_institution(actor, inst.uscc)
    before = _member_view(member)
    member.name, member.uscc, member.status = data.name, data.uscc, data.status
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.member.update",
        entity_type="exchange_member",
        entity_id=str(member.id),
        before=before,
        after=_member_view(member),
    )
    return member


def _member_view(member: Member) -> dict[str, str]:
    return {"会员名称": member.name, "统一社会信用代码": member.uscc, "状态": STATUS_LABELS[member.status]}
