"""Parties of the exchange: institutions, members, bidders; and amounts typed in 元.

Operators belong to the institution whose USCC is their ``org_uscc``. A bidder is one identity
(an organisation by USCC from the registry) with one virtual sub-account number for transfers,
valid at every institution.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import SYSTEM, Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.ids import is_valid_uscc
from longcheng.core.pii import ids, masking, vault
from longcheng.exchange import permissions as perm
from longcheng.exchange.models import Bidder, Institution, Member
from longcheng.exchange.schemas import InstitutionIn
from longcheng.registry import service as registry_service

VA_PREFIX = "8802"


def to_fen(text: str, label: str, *, allow_blank: bool = False) -> int | None:
    """An amount typed in 元 (``1,234.5``) as integer fen; a clear message names the field."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    if not cleaned:
        if allow_blank:
            return None
        raise ValidationFailed(f"请填写{label}。", code="exchange.amount_missing", details={label: "必填"})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed(
            f"{label}须为以元为单位的数字。", code="exchange.amount_invalid", details={label: "格式不正确"}
        ) from None
    if value <= 0 or value != value.quantize(Decimal("0.01")) or value > Decimal("1e12"):
        raise ValidationFailed(
            f"{label}须为大于零、最多两位小数的金额。",
            code="exchange.amount_invalid",
            details={label: "金额无效"},
        )
    return int(value * 100)


def create_institution(session: Session, *, actor: Actor, data: InstitutionIn) -> Institution:
    require(actor, perm.INSTITUTION_MANAGE)
    if not is_valid_uscc(data.uscc):
        raise ValidationFailed("统一社会信用代码无效。", code="exchange.uscc_invalid")
    if session.scalar(select(Institution.id).where(Institution.code == data.code)):
        raise Conflict(f"机构代码 {data.code} 已存在。", code="exchange.institution_exists")
    inst = Institution(code=data.code, name=data.name, uscc=data.uscc, region=data.region)
    session.add(inst)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.institution.create",
        entity_type="exchange_institution",
        entity_id=inst.code,
        after={"机构代码": inst.code, "名称": inst.name, "统一社会信用代码": inst.uscc},
    )
    return inst


def institutions(session: Session) -> list[Institution]:
    return list(session.scalars(select(Institution).order_by(Institution.id)))


def institution_by_code(session: Session, code: str) -> Institution:
    inst = session.scalar(select(Institution).where(Institution.code == code))
    if inst is None:
        raise NotFound("未找到该交易机构。", code="exchange.institution_not_found")
    return inst


def institution_of(session: Session, actor: Actor) -> Institution | None:
    """The operator's institution (by its USCC); None for other roles."""
    if actor.role is not Role.operator or not actor.org_uscc:
        return None
    return session.scalar(select(Institution).where(Institution.uscc == actor.org_uscc))


def acting_institution(session: Session, actor: Actor, code: str = "") -> Institution:
    """Where an operator or admin acts: the operator's own, or the one an admin names (or the first)."""
    own = institution_of(session, actor)
    if actor.role is Role.operator:
        if own is None:
            raise PermissionDenied("您的账户未绑定交易机构。", code="exchange.no_institution")
        if code and code != own.code:
            raise PermissionDenied("只能处理本交易机构的业务。", code="exchange.other_institution")
        return own
    if code:
        return institution_by_code(session, code)
    first = session.scalar(select(Institution).order_by(Institution.id))
    if first is None:
        raise NotFound("尚未设立交易机构。", code="exchange.institution_not_found")
    return first


def add_member(
    session: Session, *, actor: Actor, institution: Institution, name: str, uscc: str, status: str = "active"
) -> Member:
    """Admit a 会员 to an institution: an admin to any, an operator to its own only."""
    require(actor, perm.MEMBER_MANAGE)
    perm.require_own_institution(actor, institution.uscc)
    member = Member(institution_id=institution.id, name=name, uscc=uscc, status=status)
    session.add(member)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.member.create",
        entity_type="exchange_member",
        entity_id=str(member.id),
        after={
            "会员名称": name,
            "统一社会信用代码": uscc,
            "交易机构": institution.name,
            "状态": "暂停" if status == "suspended" else "正常",
        },
    )
    return member


def _luhn(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def virtual_account_for(bidder_id: int) -> str:
    body = f"{VA_PREFIX}{bidder_id:010d}"
    return body + _luhn(body)


def enrol_org_bidder(session: Session, *, actor: Actor, uscc: str, user_id: int | None = None) -> Bidder:
    """Enrol an organisation as a bidder by its USCC (name from the registry); once per identity."""
    require(actor, perm.BIDDER_ENROL)
    uscc = uscc.strip().upper()
    if not is_valid_uscc(uscc):
        raise ValidationFailed("统一社会信用代码无效。", code="exchange.uscc_invalid")
    if session.scalar(select(Bidder.id).where(Bidder.uscc == uscc)):
        raise Conflict("该机构已登记为竞买人，一个身份在所有交易机构通用。", code="exchange.bidder_exists")
    org = registry_service.get_by_uscc(session, actor=SYSTEM, uscc=uscc)
    bidder = Bidder(kind="org", name=org.name, uscc=uscc, user_id=user_id, virtual_account="")
    session.add(bidder)
    session.flush()
    bidder.virtual_account = virtual_account_for(bidder.id)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.bidder.enrol",
        entity_type="exchange_bidder",
        entity_id=str(bidder.id),
        after={"竞买人": bidder.name, "统一社会信用代码": uscc, "虚拟账号": bidder.virtual_account},
    )
    return bidder


def enrol_person_bidder(
    session: Session, *, actor: Actor, name: str, id_number: str, user_id: int | None = None
) -> Bidder:
    """Enrol a natural person: the resident ID's check digit is verified; the number is stored
    encrypted with a blind index (shared with other modules) and shown only masked."""
    require(actor, perm.BIDDER_ENROL)
    resident = ids.parse_resident_id(id_number)
    index = vault.blind_index(resident.number, purpose="person.resident_id")
    if session.scalar(select(Bidder.id).where(Bidder.id_index == index)):
        raise Conflict("此人已登记为竞买人，一个身份在所有交易机构通用。", code="exchange.bidder_exists")
    name = name.strip()
    if len(name) < 2:
        raise ValidationFailed("请填写姓名。", code="exchange.name_required")
    bidder = Bidder(
        kind="person",
        name=name,
        id_token=vault.encrypt(resident.number, purpose="exchange.bidder_id"),
        id_index=index,
        id_masked=masking.mask_resident_id(resident.number),
        user_id=user_id,
        virtual_account="",
    )
    session.add(bidder)
    session.flush()
    bidder.virtual_account = virtual_account_for(bidder.id)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.bidder.enrol",
        entity_type="exchange_bidder",
        entity_id=str(bidder.id),
        after={"竞买人": name, "身份证号": bidder.id_masked, "虚拟账号": bidder.virtual_account},
    )
    return bidder


@dataclass(frozen=True)
class Acting:
    """A member's login acting for a client under a valid mandate (set by ``members.acting_for``)."""

    user_id: int
    bidder_id: int
    member_id: int
    member_name: str


_ACTING: ContextVar[Acting | None] = ContextVar("exchange_acting_for", default=None)


@contextmanager
def acting(on_behalf: Acting) -> Iterator[None]:
    """Within the block, :func:`bidder_of` the member's login is the client (checked by the caller)."""
    token = _ACTING.set(on_behalf)
    try:
        yield
    finally:
        _ACTING.reset(token)


def acting_member(actor: Actor) -> Acting | None:
    """The member-for-client context of this actor, if it acts for a client now."""
    on_behalf = _ACTING.get()
    return on_behalf if on_behalf is not None and on_behalf.user_id == actor.id else None


def bidder_of(session: Session, actor: Actor) -> Bidder:
    """The bidder identity bound to the acting login (or the client a member's login acts for)."""
    on_behalf = acting_member(actor)
    if on_behalf is not None:
        client = session.get(Bidder, on_behalf.bidder_id)
        assert client is not None
        return client
    bidder = session.scalar(select(Bidder).where(Bidder.user_id == actor.id)) if actor.id else None
    if bidder is None:
        raise PermissionDenied("您的账户尚未登记为竞买人。", code="exchange.not_bidder")
    return bidder


def bidder_by_account(session: Session, virtual_account: str) -> Bidder | None:
    return session.scalar(select(Bidder).where(Bidder.virtual_account == virtual_account.strip()))
