"""开标 and after: officers collect and present key shares, the opening with its decryption record,
the 中标候选人公示 with objections, and the award with its contract record."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.core.pii import vault
from longcheng.exchange import service as parties
from longcheng.exchange.book import postings as pb
from longcheng.exchange.charter import terms
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.models import Bidder
from longcheng.exchange.seal import envelope, shamir
from longcheng.exchange.tendering import evaluation, procedures
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering.models import (
    Tender,
    TenderBid,
    TenderEntrant,
    TenderKeyShare,
    TenderObjection,
)
from longcheng.exchange.tendering.service import ENTITY, SHARE_PURPOSE, aad, get, security_account


def _slot(session: Session, tender: Tender, actor: Actor) -> TenderKeyShare:
    require(actor, perm.OFFICER)
    slot = session.scalar(
        select(TenderKeyShare)
        .where(TenderKeyShare.tender_id == tender.id, TenderKeyShare.officer_id == actor.id)
        .with_for_update()
    )
    if slot is None:
        raise PermissionDenied("您不是本项目的开标人。", code="tendering.not_officer")
    return slot


def collect_share(session: Session, *, actor: Actor, code: str) -> str:
    """The officer's key share, handed over once and then erased from the server."""
    tender = get(session, code)
    slot = _slot(session, tender, actor)
    if slot.pending_token is None:
        raise Conflict("您已领取过密钥分片，服务器不再保存。", code="tendering.share_already_collected")
    share = vault.decrypt(slot.pending_token, purpose=SHARE_PURPOSE)
    slot.pending_token, slot.collected_at = None, utcnow()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.share_collect",
        entity_type=ENTITY,
        entity_id=code,
        after={"开标人": slot.officer_name},
    )
    return share


def present_share(
    session: Session, *, actor: Actor, code: str, share: str, now: datetime | None = None
) -> None:
    """At or after the opening time, an officer presents their share (checked against its digest)."""
    tender = get(session, code, lock=True)
    slot = _slot(session, tender, actor)
    if (now or utcnow()) < tender.opening_at:
        raise Conflict("未到开标时间，不能出示密钥分片。", code="tendering.not_yet_open")
    if tender.status != "bidding":
        raise Conflict("本项目已开标。", code="tendering.already_opened")
    if hashlib.sha256(share.strip().encode()).hexdigest() != slot.digest:
        raise ValidationFailed("密钥分片与登记的摘要不符。", code="tendering.share_mismatch")
    slot.presented_token, slot.presented_at = vault.encrypt(share.strip(), purpose=SHARE_PURPOSE), utcnow()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.share_present",
        entity_type=ENTITY,
        entity_id=code,
        after={"开标人": slot.officer_name},
    )


def _decrypt_bids(session: Session, tender: Tender, private: bytes) -> list[dict[str, Any]]:
    names = dict(
        session.execute(
            select(Bidder.id, Bidder.name)
            .join(TenderBid, TenderBid.bidder_id == Bidder.id)
            .where(TenderBid.tender_id == tender.id)
        ).all()
    )
    rows = []
    for bid in session.scalars(
        select(TenderBid).where(TenderBid.tender_id == tender.id).order_by(TenderBid.id)
    ):
        if bid.round < tender.round:
            rows.append(_carried(names[bid.bidder_id], bid))
            continue
        try:
            if envelope.digest(bid.sealed) != bid.digest:
                raise envelope.SealError("密封文件摘要与回执不符")
            body = json.loads(envelope.open_(private, bid.sealed, aad=aad(tender, bid.bidder_id, bid.round)))
            price = int(body["price_fen"])
            if price <= 0:
                raise ValueError
            bid.price_fen, bid.open_status, bid.open_note = price, "valid", ""
        except (envelope.SealError, ValueError, KeyError, TypeError) as exc:
            bid.open_status, bid.open_note = "invalid", str(exc)[:200] or "报价无法识别"
        rows.append(
            {
                "投标人": names[bid.bidder_id],
                "摘要": bid.digest,
                "结果": bid.open_status,
                "报价（元）": (bid.price_fen or 0) / 100 if bid.open_status == "valid" else None,
            }
        )
    return rows


def _carried(name: str, bid: TenderBid) -> dict[str, Any]:
    """A 竞争性谈判 supplier who did not quote again this round keeps its last valid quote."""
    return {
        "投标人": name,
        "摘要": bid.digest,
        "结果": bid.open_status,
        "报价（元）": (bid.price_fen or 0) / 100 if bid.open_status == "valid" else None,
        "说明": f"沿用第 {bid.round} 轮报价",
    }


def _release(session: Session, *, actor: Actor, tender: Tender) -> None:
    for e in session.scalars(
        select(TenderEntrant).where(TenderEntrant.tender_id == tender.id, TenderEntrant.security == "frozen")
    ):
        ledger.post(
            session,
            actor=actor,
            kind="release",
            ref=f"{tender.code}/投标保证金",
            entries=pb.move(
                security_account(tender.id, e.bidder_id), pb.available(e.bidder_id), tender.security_fen
            ),
        )
        e.security = "released"


def open_tender(session: Session, *, actor: Actor, code: str, now: datetime | None = None) -> Tender:
    """开标: join the presented shares, check the key, decrypt and verify every bid, keep the record.

    Fewer shares than the threshold: the opening does not happen (nothing changes but an audit
    record of the attempt); the officers still holding shares present them and it is tried again.
    """
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    parties.acting_institution(session, actor, _code_of(session, tender))
    if (now or utcnow()) < tender.opening_at:
        raise Conflict("未到开标时间。", code="tendering.not_yet_open")
    if tender.status != "bidding":
        raise Conflict("本项目已开标。", code="tendering.already_opened")
    slots = list(session.scalars(select(TenderKeyShare).where(TenderKeyShare.tender_id == tender.id)))
    shown = [s for s in slots if s.presented_token]
    missing = [s.officer_name for s in slots if not s.presented_token]
    if len(shown) < tender.threshold:
        audit.record(
            session,
            actor=actor,
            action="exchange.tender.open_refused",
            entity_type=ENTITY,
            entity_id=code,
            after={"已出示分片": len(shown), "门限": tender.threshold, "未出示": missing},
        )
        raise Conflict(
            f"已出示密钥分片 {len(shown)} 份，开标至少需要 {tender.threshold} 份"
            f"（未出示：{'、'.join(missing)}）；"
            "开标顺延，待开标人出示分片后再开标。",
            code="tendering.shares_missing",
            details={"已出示": str(len(shown)), "门限": str(tender.threshold)},
        )
    private = shamir.combine([vault.decrypt(s.presented_token or "", purpose=SHARE_PURPOSE) for s in shown])
    if envelope.public_of(private) != bytes.fromhex(tender.public_key):
        raise Conflict("密钥分片合成的私钥与项目公钥不符，开标中止。", code="tendering.key_mismatch")
    rows = _decrypt_bids(session, tender, private)
    for s in slots:
        s.presented_token = None
    valid = sum(1 for r in rows if r["结果"] == "valid")
    minimum = procedures.rule(tender.procedure).min_suppliers
    tender.opened_at = utcnow()
    tender.status = "opened" if valid >= minimum else "failed"
    tender.opening_record = {
        "采购方式": procedures.LABELS.get(tender.procedure, tender.procedure),
        "轮次": tender.round,
        "前轮": list(tender.opening_record.get("前轮", [])),
        "开标时间": tender.opened_at.isoformat(),
        "公钥": tender.public_key,
        "门限": tender.threshold,
        "出示分片的开标人": [s.officer_name for s in shown],
        "未出示": missing,
        "投标": rows,
        "结论": "开标完成" if tender.status == "opened" else f"有效投标不足 {minimum} 家，招标失败",
    }
    if tender.status == "failed":
        _release(session, actor=actor, tender=tender)
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.open",
        entity_type=ENTITY,
        entity_id=code,
        after=tender.opening_record,
    )
    return tender


def _code_of(session: Session, tender: Tender) -> str:
    return next(i.code for i in parties.institutions(session) if i.id == tender.institution_id)


def candidates(session: Session, tender: Tender) -> list[TenderBid]:
    """The 中标候选人, at most three: by the panel's combined score (综合评分法) once scored, else by
    lowest valid price (最低投标价法)."""
    return [r.bid for r in evaluation.ranking(session, tender)[:3]]


def start_publicity(session: Session, *, actor: Actor, code: str) -> Tender:
    """Publish the candidates for the charter's publicity days (3)."""
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    parties.acting_institution(session, actor, _code_of(session, tender))
    if tender.status != "opened":
        raise Conflict("开标完成后才能公示中标候选人。", code="tendering.not_opened")
    evaluation.check_complete(session, tender)
    tender.status = "publicity"
    tender.publicity_ends_at = utcnow() + timedelta(days=int(terms.load().tendering["publicity_days"]))
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.publicity",
        entity_type=ENTITY,
        entity_id=code,
        after={"公示截止": tender.publicity_ends_at.isoformat()},
    )
    return tender


def object_(
    session: Session, *, actor: Actor, code: str, text: str, now: datetime | None = None
) -> TenderObjection:
    """An entrant's 异议 during the publicity window; refused after it."""
    require(actor, perm.BID)
    bidder = parties.bidder_of(session, actor)
    tender = get(session, code)
    if tender.status != "publicity" or (now or utcnow()) > (tender.publicity_ends_at or utcnow()):
        raise Conflict("不在中标候选人公示期内，不能提出异议。", code="tendering.publicity_closed")
    if not session.scalar(
        select(TenderEntrant.id).where(
            TenderEntrant.tender_id == tender.id, TenderEntrant.bidder_id == bidder.id
        )
    ):
        raise PermissionDenied("只有本项目的投标人可以提出异议。", code="tendering.not_entrant")
    row = TenderObjection(tender_id=tender.id, bidder_id=bidder.id, text=text)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.objection",
        entity_type=ENTITY,
        entity_id=code,
        after={"异议人": bidder.name, "内容": text},
    )
    return row


def reply(session: Session, *, actor: Actor, code: str, objection_id: int, text: str) -> TenderObjection:
    require(actor, perm.MANAGE)
    tender = get(session, code)
    parties.acting_institution(session, actor, _code_of(session, tender))
    row = session.get(TenderObjection, objection_id)
    if row is None or row.tender_id != tender.id:
        raise ValidationFailed("未找到该异议。", code="tendering.objection_not_found")
    row.reply, row.replied_at = text, utcnow()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.objection_reply",
        entity_type=ENTITY,
        entity_id=code,
        after={"答复": text},
    )
    return row


def award(
    session: Session, *, actor: Actor, code: str, contract_no: str, now: datetime | None = None
) -> Tender:
    """Award to the first candidate once publicity ended and every objection is answered."""
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    parties.acting_institution(session, actor, _code_of(session, tender))
    if tender.status != "publicity" or (now or utcnow()) <= (tender.publicity_ends_at or utcnow()):
        raise Conflict("公示期结束后才能确定中标人。", code="tendering.publicity_open")
    if session.scalar(
        select(TenderObjection.id).where(
            TenderObjection.tender_id == tender.id, TenderObjection.replied_at.is_(None)
        )
    ):
        raise Conflict("尚有异议未答复。", code="tendering.objection_open")
    first = candidates(session, tender)[0]
    tender.winner_bid_id, tender.contract_no, tender.status = first.id, contract_no, "awarded"
    _release(session, actor=actor, tender=tender)
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.award",
        entity_type=ENTITY,
        entity_id=code,
        after={"中标价（元）": (first.price_fen or 0) / 100, "合同编号": contract_no},
    )
    return tender
