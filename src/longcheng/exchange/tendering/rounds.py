"""竞争性谈判 and 询价 after an opening: the next sealed quote round, and the finding of whether
each quote meets the requirements (符合采购需求), which decides the lowest-price award."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, ValidationFailed
from longcheng.exchange import service as parties
from longcheng.exchange.models import Bidder
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering import procedures
from longcheng.exchange.tendering.models import Tender, TenderBid, TenderKeyShare
from longcheng.exchange.tendering.service import ENTITY, get


def _own(session: Session, actor: Actor, code: str) -> Tender:
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    inst = next(i for i in parties.institutions(session) if i.id == tender.institution_id)
    parties.acting_institution(session, actor, inst.code)
    return tender


def next_round(
    session: Session, *, actor: Actor, code: str, deadline: datetime, opening_at: datetime
) -> Tender:
    """Open the next sealed quote round of a 竞争性谈判 after the last one was opened.

    The suppliers with a valid quote may quote again (sealed to the same key; the round is bound
    into the seal); one who does not keeps its last quote. The officers present their shares again.
    """
    tender = _own(session, actor, code)
    proc = procedures.rule(tender.procedure)
    if tender.status != "opened":
        raise Conflict("上一轮报价开启后才能进入下一轮。", code="tendering.not_opened")
    if tender.round >= tender.rounds:
        raise Conflict(
            f"{proc.label}至多 {tender.rounds} 轮报价，已是最后一轮。", code="tendering.no_more_rounds"
        )
    if deadline.tzinfo is None or opening_at.tzinfo is None:
        raise ValidationFailed("时间须带时区。", code="tendering.naive_time")
    if deadline <= utcnow() or opening_at < deadline:
        raise ValidationFailed(
            "报价截止时间须晚于现在，开启时间不得早于截止时间。", code="tendering.bad_times"
        )
    record = dict(tender.opening_record)
    earlier = list(record.pop("前轮", []))
    tender.opening_record = {"前轮": [*earlier, record]}
    tender.round += 1
    tender.status, tender.deadline, tender.opening_at, tender.opened_at = (
        "bidding",
        deadline,
        opening_at,
        None,
    )
    session.execute(
        update(TenderKeyShare).where(TenderKeyShare.tender_id == tender.id).values(presented_at=None)
    )
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.round",
        entity_type=ENTITY,
        entity_id=code,
        after={"轮次": tender.round, "报价截止": deadline.isoformat(), "开启时间": opening_at.isoformat()},
    )
    return tender


def judge(session: Session, *, actor: Actor, code: str, bid_id: int, compliant: bool, note: str) -> TenderBid:
    """Record the 谈判/询价小组's finding on one opened quote (meets the requirements or not)."""
    tender = _own(session, actor, code)
    if procedures.rule(tender.procedure).award != "lowest_price":
        raise Conflict("本项目按评标委员会评审确定中标候选人。", code="tendering.not_lowest_price")
    if tender.status != "opened":
        raise Conflict("本项目不在评审阶段。", code="tendering.not_evaluating")
    bid = session.get(TenderBid, bid_id)
    if bid is None or bid.tender_id != tender.id or bid.open_status != "valid":
        raise ValidationFailed("未找到该有效报价。", code="tendering.bid_not_found")
    if not compliant and not note:
        raise ValidationFailed("认定不符合采购需求须写明理由。", code="tendering.reason_required")
    before = {"符合采购需求": _yes(bid.compliant)} if bid.compliant is not None else None
    bid.compliant, bid.compliance_note = compliant, note
    session.flush()
    name = session.scalar(select(Bidder.name).where(Bidder.id == bid.bidder_id))
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.judge",
        entity_type=ENTITY,
        entity_id=code,
        before=before,
        after={"投标人": name, "符合采购需求": _yes(compliant), "说明": note},
    )
    return bid


def _yes(value: bool | None) -> str:
    return "是" if value else "否"
