"""A firm's own colleagues (经办人): an enterprise user invites the people who may act for the firm.

Grants, vouchers and the exchange speak to "the firm" (its 统一社会信用代码), not to one person, so
every enterprise account bound to the same code acts for it. An enterprise user lists its firm's
accounts, adds a colleague (an enterprise account bound to the same code, with a first password to
hand over; the colleague changes it on the account page) and stops one who has left. Nobody can add
an account to another firm or stop another firm's account; every change is audited as the
inviting user's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import COLLEAGUES, require
from longcheng.core.errors import NotFound
from longcheng.core.users import User, create, deactivate


def _firm(actor: Actor) -> str:
    require(actor, COLLEAGUES)
    if not actor.org_uscc:
        raise NotFound("您的账户未绑定企业。", code="users.no_firm")
    return actor.org_uscc


def list_for(session: Session, *, actor: Actor) -> list[User]:
    """Every account of the actor's firm, active first, then by name."""
    firm = _firm(actor)
    stmt = select(User).where(User.role == Role.enterprise.value, User.org_uscc == firm)
    return sorted(session.scalars(stmt), key=lambda u: (not u.is_active, u.username))


def invite(session: Session, *, actor: Actor, username: str, display_name: str, password: str) -> User:
    """Add a colleague: an enterprise account bound to the actor's firm."""
    firm = _firm(actor)
    return create(
        session,
        actor=actor,
        username=username.strip(),
        password=password,
        role=Role.enterprise,
        display_name=display_name.strip(),
        org_uscc=firm,
        right=COLLEAGUES,
    )


def stop(session: Session, *, actor: Actor, user_id: int, reason: str = "") -> User:
    """Stop a colleague's account (sessions ended, tokens revoked); only the actor's firm's."""
    firm = _firm(actor)
    user = session.get(User, user_id)
    if user is None or user.role != Role.enterprise.value or user.org_uscc != firm:
        raise NotFound("本企业没有该经办人账户。", code="users.colleague_not_found")
    return deactivate(
        session, actor=actor, user_id=user_id, reason=reason or "同事离职或不再经办", right=COLLEAGUES
    )
