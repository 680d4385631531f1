"""The listing lifecycle: draft → 审核 → 信息披露 → 竞价 → 成交/流拍; 中止, 终结 and relisting.

A listing takes the rulebook's rules for its class when created and keeps them (with the
rulebook's version) for life. Approval starts the disclosure period on the working-day
calendar and opens the auction lot after it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import SHANGHAI, local_today, to_utc, utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.workdays import WorkdayCalendar, default_calendar
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.auction.engine import Mode
from longcheng.exchange.bidding import service as bidding
from longcheng.exchange.listings import feed
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.models import Institution
from longcheng.exchange.rulebook import book, fields
from longcheng.exchange.rulebook.periods import disclosure_end
from longcheng.exchange.schemas import ListingIn

ENTITY = "exchange_listing"
STATUS_LABELS = {
    "draft": "草稿",
    "review": "待审核",
    "disclosure": "信息披露中",
    "bidding": "竞价中",
    "sold": "已成交",
    "unsold": "流拍",
    "suspended": "中止",
    "terminated": "终结",
}
PUBLIC_STATUSES = ("disclosure", "bidding", "sold", "unsold", "suspended", "terminated")


def calendar() -> WorkdayCalendar:
    return default_calendar(allow_uncovered=True)


def _amounts(data: ListingIn, rules: dict[str, Any]) -> dict[str, int | None]:
    appraisal = parties.to_fen(data.appraisal, "评估价")
    start = parties.to_fen(data.start_price, "挂牌价")
    step = parties.to_fen(data.step, "加价幅度")
    reserve = parties.to_fen(data.reserve, "保留价", allow_blank=True)
    deposit = parties.to_fen(data.deposit, "保证金", allow_blank=True)
    assert appraisal is not None
    assert start is not None
    assert step is not None
    if deposit is None:
        deposit = max(1, start * int(rules["deposit_ratio_pct"]) // 100)
    return {"appraisal": appraisal, "start": start, "step": step, "reserve": reserve, "deposit": deposit}


def _check(data: ListingIn) -> tuple[book.AssetClass, dict[str, Any]]:
    rb = book.load()
    asset_class = rb.classes.get(data.asset_class)
    if asset_class is None:
        raise ValidationFailed(
            "资产类别不存在。", code="exchange.class_unknown", details={"资产类别": "无效"}
        )
    if data.mode not in rb.modes:
        raise ValidationFailed("竞价方式不存在。", code="exchange.mode_unknown", details={"竞价方式": "无效"})
    cleaned, problems = fields.clean(asset_class, data.fields)
    if problems:
        summary = "；".join(f"{k}：{v}" for k, v in problems.items())
        raise ValidationFailed(f"类别字段有误：{summary}", code="exchange.fields_invalid", details=problems)
    return asset_class, cleaned


def _next_code(session: Session, inst: Institution, year: int) -> str:
    n = (session.scalar(select(func.count(Listing.id)).where(Listing.institution_id == inst.id)) or 0) + 1
    while session.scalar(select(Listing.id).where(Listing.code == f"{inst.code}{year}{n:05d}")):
        n += 1
    return f"{inst.code}{year}{n:05d}"


def snapshot(listing: Listing) -> dict[str, Any]:
    return {
        "状态": STATUS_LABELS.get(listing.status, listing.status),
        "挂牌价（元）": listing.start_fen / 100,
        "原因": listing.status_reason,
    }


def create(
    session: Session, *, actor: Actor, data: ListingIn, relisted_from: Listing | None = None
) -> Listing:
    """A draft listing, its class fields checked against the class schema, rules stored with it."""
    require(actor, perm.LISTING_EDIT)
    inst = parties.acting_institution(session, actor, data.institution_code)
    asset_class, cleaned = _check(data)
    rules = book.load().rules_for(asset_class.code)
    amounts = _amounts(data, rules)
    listing = Listing(
        code=_next_code(session, inst, local_today().year),
        institution_id=inst.id,
        asset_class=asset_class.code,
        mode=data.mode,
        title=data.title,
        region=data.region,
        seller_name=data.seller_name,
        description=data.description,
        fields=cleaned,
        appraisal_fen=amounts["appraisal"],
        start_fen=amounts["start"],
        step_fen=amounts["step"],
        reserve_fen=amounts["reserve"],
        deposit_fen=amounts["deposit"],
        rules_version=book.load().version,
        rules=rules,
        status="draft",
        relisted_from_id=relisted_from.id if relisted_from else None,
        attempt=relisted_from.attempt + 1 if relisted_from else 1,
        created_by=actor.label,
    )
    session.add(listing)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.listing.create",
        entity_type=ENTITY,
        entity_id=listing.code,
        after={"项目名称": listing.title, "资产类别": asset_class.label, **snapshot(listing)},
    )
    return listing


def get(session: Session, code: str) -> Listing:
    listing = session.scalar(select(Listing).where(Listing.code == code))
    if listing is None:
        raise NotFound("未找到该挂牌项目。", code="exchange.listing_not_found")
    return listing


def get_public(session: Session, code: str) -> Listing:
    """A listing anyone may read: published ones only (drafts answer as unknown)."""
    listing = get(session, code)
    if listing.status not in PUBLIC_STATUSES:
        raise NotFound("未找到该挂牌项目。", code="exchange.listing_not_found")
    return listing


def institution_of_listing(session: Session, listing: Listing) -> Institution:
    inst = session.get(Institution, listing.institution_id)
    assert inst is not None
    return inst


def for_change(session: Session, actor: Actor, code: str, action: str) -> Listing:
    """The listing, locked, if the actor may ``action`` it (its own institution only)."""
    require(actor, action)
    listing = session.scalar(select(Listing).where(Listing.code == code).with_for_update())
    if listing is None:
        raise NotFound("未找到该挂牌项目。", code="exchange.listing_not_found")
    perm.require_own_institution(actor, institution_of_listing(session, listing).uscc)
    return listing


def _move(
    session: Session, actor: Actor, listing: Listing, to: str, *, reason: str = "", kind: str = "status"
) -> None:
    before = snapshot(listing)
    listing.status, listing.status_reason = to, reason
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"exchange.listing.{to}",
        entity_type=ENTITY,
        entity_id=listing.code,
        before=before,
        after=snapshot(listing),
        reason=reason,
    )
    if to in PUBLIC_STATUSES:
        feed.emit(session, listing, kind, {"reason": reason} if reason else None)


def _expect(listing: Listing, *allowed: str) -> None:
    if listing.status not in allowed:
        labels = "、".join(STATUS_LABELS[s] for s in allowed)
        raise Conflict(
            f"项目当前为「{STATUS_LABELS.get(listing.status, listing.status)}」，"
            f"只有「{labels}」的项目可以这样处理。",
            code="exchange.listing_state",
        )


def submit(session: Session, *, actor: Actor, code: str) -> Listing:
    listing = for_change(session, actor, code, perm.LISTING_EDIT)
    _expect(listing, "draft")
    _move(session, actor, listing, "review")
    return listing


def reject(session: Session, *, actor: Actor, code: str, reason: str) -> Listing:
    listing = for_change(session, actor, code, perm.LISTING_REVIEW)
    _expect(listing, "review")
    _move(session, actor, listing, "draft", reason=reason)
    return listing


def default_auction_start(cal: WorkdayCalendar, end: date) -> datetime:
    """10:00 Beijing time on the first working day after disclosure ends."""
    day = cal.next_working_day(end + timedelta(days=1))
    return to_utc(datetime.combine(day, time(10, 0), tzinfo=SHANGHAI))


def approve(
    session: Session,
    *,
    actor: Actor,
    code: str,
    auction_start: datetime | None = None,
    today: date | None = None,
) -> Listing:
    """Publish: disclosure starts today for the rule's days; the auction opens after it ends."""
    listing = for_change(session, actor, code, perm.LISTING_REVIEW)
    _expect(listing, "review")
    cal, start = calendar(), today or local_today()
    end, note = disclosure_end(
        cal, start, int(listing.rules["disclosure_days"]), str(listing.rules["disclosure_day_kind"])
    )
    starts = auction_start or default_auction_start(cal, end)
    if starts.astimezone(SHANGHAI).date() <= end:
        raise ValidationFailed(
            f"竞价开始时间须在信息披露期届满（{end.isoformat()}）之后。", code="exchange.auction_too_early"
        )
    listing.disclosure_start, listing.disclosure_end, listing.disclosure_note = start, end, note
    listing.auction_start, listing.published_at = starts, utcnow()
    _move(session, actor, listing, "disclosure", kind="listed")
    bidding.open_lot(session, actor=actor, listing=listing)
    return listing


def suspend(session: Session, *, actor: Actor, code: str, reason: str) -> Listing:
    listing = for_change(session, actor, code, perm.LISTING_REVIEW)
    _expect(listing, "disclosure")
    bidding.hold_lot(session, actor=actor, listing=listing)
    _move(session, actor, listing, "suspended", reason=reason)
    return listing


def resume(session: Session, *, actor: Actor, code: str, auction_start: datetime) -> Listing:
    """Back to disclosure with a new auction time after a 中止."""
    listing = for_change(session, actor, code, perm.LISTING_REVIEW)
    _expect(listing, "suspended")
    if auction_start <= utcnow():
        raise ValidationFailed("恢复后的竞价开始时间须晚于当前时间。", code="exchange.auction_too_early")
    listing.auction_start = auction_start
    _move(session, actor, listing, "disclosure", reason="恢复挂牌")
    bidding.reopen_lot(session, actor=actor, listing=listing)
    return listing


def terminate(session: Session, *, actor: Actor, code: str, reason: str) -> Listing:
    """终结: the listing ends for good; every frozen deposit is released."""
    listing = for_change(session, actor, code, perm.LISTING_REVIEW)
    _expect(listing, "draft", "review", "disclosure", "suspended")
    bidding.cancel_lot(session, actor=actor, listing=listing)
    _move(session, actor, listing, "terminated", reason=reason)
    return listing


def relist(session: Session, *, actor: Actor, code: str, start_price: str, step: str = "") -> Listing:
    """A new draft after a 流拍, at a lower price not under the rule's floor of the appraisal."""
    old = for_change(session, actor, code, perm.LISTING_EDIT)
    _expect(old, "unsold")
    start = parties.to_fen(start_price, "挂牌价")
    assert start is not None
    floor = old.appraisal_fen * int(old.rules["relist_floor_pct"]) // 100
    if start < floor:
        raise ValidationFailed(
            f"重新挂牌价不得低于评估价的 {old.rules['relist_floor_pct']}%"
            f"（{floor / 100:,.2f} 元），否则须重新报批。",
            code="exchange.relist_below_floor",
        )
    inst = institution_of_listing(session, old)
    data = ListingIn(
        asset_class=old.asset_class,
        mode=old.mode,
        title=old.title,
        region=old.region,
        seller_name=old.seller_name,
        description=old.description,
        appraisal=f"{old.appraisal_fen / 100:.2f}",
        start_price=start_price,
        step=step or f"{old.step_fen / 100:.2f}",
        fields=dict(old.fields),
        institution_code=inst.code,
    )
    return create(session, actor=actor, data=data, relisted_from=old)


def chain(session: Session, listing: Listing) -> list[Listing]:
    """Every attempt of this asset, first to latest."""
    first = listing
    while first.relisted_from_id is not None:
        prev = session.get(Listing, first.relisted_from_id)
        assert prev is not None
        first = prev
    out, current = [first], first
    while True:
        nxt = session.scalar(select(Listing).where(Listing.relisted_from_id == current.id))
        if nxt is None:
            return out
        out.append(nxt)
        current = nxt


def mode_of(listing: Listing) -> Mode:
    return Mode(listing.mode)
