"""Lists of vouchers (an enterprise sees its own, a provider also those redeemed with it)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.paging import Page, paginate
from longcheng.grants import permissions as perm
from longcheng.grants.vouchers.models import Provider, Voucher
from longcheng.grants.vouchers.schemas import VoucherFilter


def _scope(actor: Actor) -> ColumnElement[bool]:
    if actor.role is not Role.enterprise:
        return true()
    if not actor.org_uscc:
        return false()
    mine = select(Provider.id).where(Provider.uscc == actor.org_uscc).scalar_subquery()
    return or_(Voucher.firm_uscc == actor.org_uscc, Voucher.provider_id == mine)


def _conditions(actor: Actor, f: VoucherFilter) -> list[ColumnElement[bool]]:
    conds = [_scope(actor)]
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(
            or_(Voucher.code.ilike(like), Voucher.firm_name.ilike(like), Voucher.contract_ref.ilike(like))
        )
    if f.state:
        conds.append(Voucher.state == f.state)
    if f.purpose:
        conds.append(Voucher.purpose == f.purpose)
    return conds


def list_vouchers(
    session: Session, *, actor: Actor, filters: VoucherFilter, page: int = 1, page_size: int = 20
) -> Page[Voucher]:
    require(actor, perm.VOUCHER_READ)
    conds = _conditions(actor, filters)
    stmt = select(Voucher).where(*conds).order_by(Voucher.id.desc())
    count = select(func.count(Voucher.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_vouchers(session: Session, *, actor: Actor, filters: VoucherFilter, limit: int) -> Iterator[Voucher]:
    require(actor, perm.VOUCHER_READ)
    stmt = select(Voucher).where(*_conditions(actor, filters)).order_by(Voucher.id.desc()).limit(limit)
    return iter(session.scalars(stmt))


def providers(session: Session, *, actor: Actor) -> list[Provider]:
    require(actor, perm.VOUCHER_READ)
    return list(session.scalars(select(Provider).order_by(Provider.id)))
