"""报名: intended buyers register during disclosure, accept the 受让条件, are qualified by the
institution, and freeze the deposit for this registration from their available money.

Each registration gets a random 竞买号, the only name the bidder has in the room until the end.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.book import postings as pb
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder, Institution, Member

ENTITY = "exchange_registration"
STATUS_LABELS = {"pending": "待资格审核", "qualified": "已通过", "rejected": "未通过"}
DEPOSIT_LABELS = {
    "none": "未交纳",
    "frozen": "已冻结",
    "released": "已解冻",
    "converted": "已转价款",
    "forfeited": "已没收",
}


def _new_number(session: Session, listing_id: int) -> str:
    while True:
        number = f"{secrets.randbelow(900000) + 100000}"
        taken = select(Registration.id).where(
            Registration.listing_id == listing_id, Registration.bidder_no == number
        )
        if session.scalar(taken) is None:
            return number


def register(
    session: Session, *, actor: Actor, listing: Listing, accept_conditions: bool, preemptor: bool = False
) -> Registration:
    """Register the acting bidder for a listing in disclosure, before the auction starts."""
    require(actor, perm.REGISTER)
    bidder = parties.bidder_of(session, actor)
    if listing.status != "disclosure" or (listing.auction_start and listing.auction_start <= utcnow()):
        raise Conflict("该项目不在报名期内。", code="exchange.registration_closed")
    if not accept_conditions:
        raise ValidationFailed("报名须确认接受受让条件。", code="exchange.conditions_required")
    exists = select(Registration.id).where(
        Registration.listing_id == listing.id, Registration.bidder_id == bidder.id
    )
    if session.scalar(exists):
        raise Conflict("您已报名该项目。", code="exchange.already_registered")
    reg = Registration(
        listing_id=listing.id,
        bidder_id=bidder.id,
        bidder_no=_new_number(session, listing.id),
        conditions_accepted=True,
        preemptor=preemptor,
    )
    on_behalf = parties.acting_member(actor)
    reg.member_id = on_behalf.member_id if on_behalf else None
    session.add(reg)
    session.flush()
    after: dict[str, object] = {"项目": listing.code, "竞买人": bidder.name, "申请优先权": preemptor}
    if on_behalf is not None:
        after["代理会员"] = on_behalf.member_name
    audit.record(
        session,
        actor=actor,
        action="exchange.registration.create",
        entity_type=ENTITY,
        entity_id=str(reg.id),
        after=after,
    )
    return reg


def get(session: Session, reg_id: int, *, lock: bool = False) -> tuple[Registration, Listing]:
    stmt = select(Registration).where(Registration.id == reg_id)
    reg = session.scalar(stmt.with_for_update() if lock else stmt)
    if reg is None:
        raise NotFound("未找到该报名记录。", code="exchange.registration_not_found")
    listing = session.get(Listing, reg.listing_id)
    assert listing is not None
    return reg, listing


def review(
    session: Session,
    *,
    actor: Actor,
    reg_id: int,
    approve: bool,
    note: str = "",
    preemptor: bool | None = None,
) -> Registration:
    """Qualify or refuse a registration (the listing's institution only); 优先权 is confirmed here."""
    require(actor, perm.REGISTRATION_REVIEW)
    reg, listing = get(session, reg_id, lock=True)
    inst = session.get(Institution, listing.institution_id)
    assert inst is not None
    perm.require_own_institution(actor, inst.uscc)
    if reg.status != "pending":
        raise Conflict("该报名已审核。", code="exchange.registration_reviewed")
    if not approve and len(note.strip()) < 2:
        raise ValidationFailed("不予通过须说明理由。", code="exchange.reason_required")
    reg.status, reg.review_note = ("qualified" if approve else "rejected"), note.strip()
    if preemptor is not None:
        reg.preemptor = preemptor
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.registration.review",
        entity_type=ENTITY,
        entity_id=str(reg.id),
        after={"资格审核": STATUS_LABELS[reg.status], "说明": reg.review_note, "优先权": reg.preemptor},
    )
    return reg


def pay_deposit(session: Session, *, actor: Actor, reg_id: int) -> Registration:
    """Freeze the listing's deposit for this registration from the bidder's available money."""
    require(actor, perm.REGISTER)
    bidder = parties.bidder_of(session, actor)
    reg, listing = get(session, reg_id, lock=True)
    if reg.bidder_id != bidder.id:
        raise NotFound("未找到该报名记录。", code="exchange.registration_not_found")
    if reg.deposit == "frozen":
        raise Conflict("该项目的保证金已冻结。", code="exchange.deposit_already_frozen")
    if reg.status == "rejected" or listing.status != "disclosure":
        raise Conflict("该报名不能再交纳保证金。", code="exchange.registration_closed")
    ledger.post(
        session,
        actor=actor,
        kind="freeze",
        ref=f"{listing.code}/{reg.bidder_no}",
        entries=pb.move(pb.available(bidder.id), pb.frozen(reg.id), listing.deposit_fen),
    )
    reg.deposit = "frozen"
    session.flush()
    return reg


def release_all(session: Session, *, actor: Actor, listing: Listing, keep: Collection[int]) -> int:
    """Release every frozen deposit of the listing except those of ``keep`` registrations."""
    released = 0
    regs = select(Registration).where(Registration.listing_id == listing.id, Registration.deposit == "frozen")
    for reg in session.scalars(regs.order_by(Registration.id)):
        if reg.id in keep:
            continue
        release(session, actor=actor, reg=reg, listing=listing)
        released += 1
    return released


def release(session: Session, *, actor: Actor, reg: Registration, listing: Listing) -> None:
    amount = ledger.balance(session, pb.frozen(reg.id))
    if amount:
        ledger.post(
            session,
            actor=actor,
            kind="release",
            ref=f"{listing.code}/{reg.bidder_no}",
            entries=pb.move(pb.frozen(reg.id), pb.available(reg.bidder_id), amount),
        )
    reg.deposit = "released"


def of_listing(session: Session, listing: Listing) -> list[tuple[Registration, Bidder]]:
    stmt = (
        select(Registration, Bidder)
        .join(Bidder, Bidder.id == Registration.bidder_id)
        .where(Registration.listing_id == listing.id)
        .order_by(Registration.id)
    )
    return [(r, b) for r, b in session.execute(stmt)]


def of_bidder(session: Session, bidder: Bidder) -> list[tuple[Registration, Listing]]:
    stmt = (
        select(Registration, Listing)
        .join(Listing, Listing.id == Registration.listing_id)
        .where(Registration.bidder_id == bidder.id)
        .order_by(Registration.id.desc())
    )
    return [(r, listing) for r, listing in session.execute(stmt)]


def pending(session: Session, *, actor: Actor) -> list[tuple[Registration, Listing, Bidder]]:
    """Registrations waiting for qualification at the actor's institution(s)."""
    require(actor, perm.REGISTRATION_REVIEW)
    stmt = (
        select(Registration, Listing, Bidder)
        .join(Listing, Listing.id == Registration.listing_id)
        .join(Bidder, Bidder.id == Registration.bidder_id)
        .where(Registration.status == "pending")
    )
    own = parties.institution_of(session, actor)
    if own is not None:
        stmt = stmt.where(Listing.institution_id == own.id)
    return [(r, lst, b) for r, lst, b in session.execute(stmt.order_by(Registration.id))]


def member_names(session: Session, regs: Collection[Registration]) -> dict[int, str]:
    """The member (会员) that registered each registration for its client, by registration id."""
    ids = {r.member_id for r in regs if r.member_id is not None}
    if not ids:
        return {}
    names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(ids))).all())
    return {r.id: names[r.member_id] for r in regs if r.member_id is not None}
