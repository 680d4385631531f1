"""竞买人自助注册: an organisation (by USCC, checked against the registry) or a natural person
(resident ID checked by its check digit, stored encrypted, shown masked) opens a bidder account
and a login with the ``bidder`` role, without an operator.

Everything is checked before anything is written, and all of it is one transaction: a refused
signup leaves no user and no bidder behind. Duplicates are refused with their own codes: a
username taken (``users.duplicate``), an identity already a bidder (``exchange.bidder_exists``).
The audit keeps the account, the enrolment (by the system, on the public form's behalf) and the
signup itself as done by the new login.

Attempts are rate-limited before anything is checked (:func:`throttle`): per client address and
per identity (the USCC or resident ID being signed up), refused or not, so the form cannot be used
to probe which identities are bidders. Past the limit: 429 ``exchange.signup_rate_limited``. The
counters live in the process (like the login limiter), one pair per app.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.http import RateLimiter
from longcheng.core.ids import is_valid_uscc, normalise_uscc
from longcheng.core.pii import ids, vault
from longcheng.core.users import User
from longcheng.exchange import service as parties
from longcheng.exchange.models import Bidder
from longcheng.exchange.schemas import SignupIn
from longcheng.registry import service as registry_service

KIND_LABELS = {"org": "机构", "person": "自然人"}


WINDOW_SECONDS = 3600
PER_ADDRESS = 20  # signups tried from one client address in the window
PER_IDENTITY = 5  # signups tried for one USCC or resident ID in the window
LIMITED = "注册尝试过于频繁，请一小时后再试；如确需办理，请联系交易机构。"


@dataclass(frozen=True)
class SignupLimits:
    by_address: RateLimiter
    by_identity: RateLimiter


def limits_of(extras: dict[str, Any]) -> SignupLimits:
    """The app's signup counters (kept in ``AppState.extras``), made on first use."""
    found = extras.get("exchange.signup_limits")
    if not isinstance(found, SignupLimits):
        code = "exchange.signup_rate_limited"
        found = extras["exchange.signup_limits"] = SignupLimits(
            RateLimiter(PER_ADDRESS, WINDOW_SECONDS, message=LIMITED, code=code),
            RateLimiter(PER_IDENTITY, WINDOW_SECONDS, message=LIMITED, code=code),
        )
    return found


def _identity_key(values: Mapping[str, Any]) -> str | None:
    """The identity an attempt is for, as typed (a resident ID only as its hash)."""
    uscc = normalise_uscc(str(values.get("uscc") or ""))
    if values.get("kind", "org") == "org" and uscc:
        return f"uscc:{uscc}"
    id_number = str(values.get("id_number") or "").strip().upper()
    return "id:" + hashlib.sha256(id_number.encode()).hexdigest() if id_number else None


def throttle(limits: SignupLimits, *, address: str, values: Mapping[str, Any]) -> None:
    """Count one signup attempt from ``address`` for the identity in ``values``; 429 past the limit."""
    limits.by_address.hit(address)
    key = _identity_key(values)
    if key is not None:
        limits.by_identity.hit(key)


@dataclass(frozen=True)
class SignedUp:
    user: User
    bidder: Bidder


def _check_org(session: Session, data: SignupIn) -> None:
    uscc = data.uscc.strip().upper()
    if not is_valid_uscc(uscc):
        raise ValidationFailed(
            "统一社会信用代码无效，请核对。", code="exchange.uscc_invalid", details={"uscc": "校验不通过"}
        )
    try:
        org = registry_service.get_by_uscc(session, actor=SYSTEM, uscc=uscc)
    except NotFound:
        raise ValidationFailed(
            "该统一社会信用代码未在机构名录中登记，请先办理登记或联系交易机构。",
            code="exchange.org_not_registered",
            details={"uscc": "未在名录中找到"},
        ) from None
    if org.name != data.name.strip():
        raise ValidationFailed(
            "机构名称与名录登记的名称不一致，请按营业执照上的全称填写。",
            code="exchange.org_name_mismatch",
            details={"name": "与名录登记名称不一致"},
        )
    if session.scalar(select(Bidder.id).where(Bidder.uscc == uscc)):
        raise Conflict(
            "该机构已登记为竞买人（一个身份在所有交易机构通用），如需开通登录账号请联系交易机构。",
            code="exchange.bidder_exists",
        )


def _check_person(session: Session, data: SignupIn) -> None:
    resident = ids.parse_resident_id(data.id_number)
    index = vault.blind_index(resident.number, purpose="person.resident_id")
    if session.scalar(select(Bidder.id).where(Bidder.id_index == index)):
        raise Conflict(
            "此身份证号已登记为竞买人（一个身份在所有交易机构通用），如需开通登录账号请联系交易机构。",
            code="exchange.bidder_exists",
        )


def signup(session: Session, *, data: SignupIn) -> SignedUp:
    """Create the bidder and its login (role ``bidder``) after every check has passed."""
    if data.kind == "org":
        _check_org(session, data)
    else:
        _check_person(session, data)
    user = users.create(
        session,
        actor=SYSTEM,
        username=data.username,
        password=data.password,
        role=Role.bidder,
        display_name=data.name.strip(),
    )
    if data.kind == "org":
        bidder = parties.enrol_org_bidder(session, actor=SYSTEM, uscc=data.uscc, user_id=user.id)
    else:
        bidder = parties.enrol_person_bidder(
            session, actor=SYSTEM, name=data.name, id_number=data.id_number, user_id=user.id
        )
    audit.record(
        session,
        actor=user.to_actor(),
        action="exchange.bidder.signup",
        entity_type="exchange_bidder",
        entity_id=str(bidder.id),
        after={
            "竞买人类型": KIND_LABELS[data.kind],
            "竞买人": bidder.name,
            "统一社会信用代码": bidder.uscc,
            "身份证号": bidder.id_masked,
            "登录账号": user.username,
        },
    )
    return SignedUp(user, bidder)
