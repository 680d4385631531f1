"""E-tendering up to the deadline: tenders, versioned documents, entrants with bid security, sealed bids."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit, users
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.pii import vault
from longcheng.exchange import service as parties
from longcheng.exchange.book import postings as pb
from longcheng.exchange.charter import terms
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.models import Bidder
from longcheng.exchange.seal import envelope, shamir
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering import procedures
from longcheng.exchange.tendering.models import (
    Tender,
    TenderBid,
    TenderDocument,
    TenderEntrant,
    TenderKeyShare,
)
from longcheng.exchange.tendering.schemas import DocumentIn, TenderIn

ENTITY = "exchange.tender"
SHARE_PURPOSE = "exchange.tender_share"


def security_account(tender_id: int, bidder_id: int) -> str:
    return f"tender:{tender_id}:bidder:{bidder_id}:security"


def get(session: Session, code: str, *, lock: bool = False) -> Tender:
    stmt = select(Tender).where(Tender.code == code)
    row = session.scalar(stmt.with_for_update() if lock else stmt)
    if row is None:
        raise NotFound("未找到该招标项目。", code="tendering.not_found")
    return row


def _officers(session: Session, names: list[str], inst_uscc: str) -> list[users.User]:
    out = []
    for name in dict.fromkeys(names):
        user = users.get_by_username(session, name)
        if user is None or not (
            user.role == Role.admin.value or (user.role == Role.operator.value and user.org_uscc == inst_uscc)
        ):
            raise ValidationFailed(f"开标人 {name} 不是本机构的工作人员。", code="tendering.bad_officer")
        out.append(user)
    return out


def _amounts(data: TenderIn) -> tuple[int, int]:
    budget = parties.to_fen(data.budget, "预算金额") or 0
    security = parties.to_fen(data.security, "投标保证金") or 0
    cap = int(terms.load().tendering["security_max_pct"])
    if security * 100 > budget * cap:
        raise ValidationFailed(
            f"投标保证金不得超过预算金额的 {cap}%。",
            code="tendering.security_too_high",
            details={"投标保证金（元）": f"不得超过 {budget * cap / 10000:.2f} 元"},
        )
    return budget, security


def _check_times(data: TenderIn) -> None:
    if data.deadline.tzinfo is None or data.opening_at.tzinfo is None:
        raise ValidationFailed("时间须带时区。", code="tendering.naive_time")
    if data.deadline <= utcnow() or data.opening_at < data.deadline:
        raise ValidationFailed(
            "投标截止时间须晚于现在，开标时间不得早于截止时间。", code="tendering.bad_times"
        )


def create(session: Session, *, actor: Actor, data: TenderIn) -> Tender:
    """A tender open for bids: its key pair made, the private key split among the officers, then dropped."""
    require(actor, perm.MANAGE)
    inst = parties.acting_institution(session, actor, data.institution_code)
    proc = procedures.rule(data.procedure)
    invited = procedures.check_invitations(proc, data.invited_usccs)
    budget, security = _amounts(data)
    _check_times(data)
    officers = _officers(session, data.officers, inst.uscc)
    if data.threshold > len(officers):
        raise ValidationFailed("开标所需分片数不得多于开标人数。", code="tendering.bad_threshold")
    private, public = envelope.new_key_pair()
    shares = shamir.split(private, shares=len(officers), threshold=data.threshold)
    del private
    seq = (session.scalar(select(func.count(Tender.id)).where(Tender.institution_id == inst.id)) or 0) + 1
    tender = Tender(
        code=f"ZB-{inst.code}-{utcnow().year}-{seq:04d}",
        institution_id=inst.id,
        procedure=data.procedure,
        title=data.title,
        purchaser_name=data.purchaser_name,
        budget_fen=budget,
        security_fen=security,
        invited_usccs=invited,
        rounds=proc.rounds,
        public_key=public.hex(),
        threshold=data.threshold,
        deadline=data.deadline,
        opening_at=data.opening_at,
        created_by=actor.label,
    )
    session.add(tender)
    session.flush()
    for user, share in zip(officers, shares, strict=True):
        session.add(
            TenderKeyShare(
                tender_id=tender.id,
                officer_id=user.id,
                officer_name=user.display_name or user.username,
                digest=hashlib.sha256(share.encode()).hexdigest(),
                pending_token=vault.encrypt(share, purpose=SHARE_PURPOSE),
            )
        )
    _document(session, tender, DocumentIn(kind="notice", title="招标公告", body=data.notice))
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.create",
        entity_type=ENTITY,
        entity_id=tender.code,
        after={
            "项目名称": tender.title,
            "采购方式": proc.label,
            "预算（元）": budget / 100,
            "开标人": [u.username for u in officers],
            "门限": data.threshold,
        },
    )
    return tender


def _document(session: Session, tender: Tender, data: DocumentIn) -> TenderDocument:
    last = session.scalar(
        select(func.max(TenderDocument.version)).where(TenderDocument.tender_id == tender.id)
    )
    doc = TenderDocument(
        tender_id=tender.id,
        version=(last or 0) + 1,
        kind=data.kind,
        title=data.title,
        body=data.body,
        sha256=hashlib.sha256(data.body.encode("utf-8")).hexdigest(),
    )
    session.add(doc)
    session.flush()
    return doc


def publish_document(session: Session, *, actor: Actor, code: str, data: DocumentIn) -> TenderDocument:
    """A new version of the documents or a 答疑, published to every registered bidder."""
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    parties.acting_institution(session, actor, _inst_code(session, tender))
    if utcnow() > tender.deadline:
        raise Conflict("投标截止后不得再发布澄清或修改。", code="tendering.deadline_passed")
    doc = _document(session, tender, data)
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.document",
        entity_type=ENTITY,
        entity_id=tender.code,
        after={"版本": doc.version, "标题": doc.title, "摘要值": doc.sha256},
    )
    return doc


def _inst_code(session: Session, tender: Tender) -> str:
    return next(i.code for i in parties.institutions(session) if i.id == tender.institution_id)


def documents(session: Session, tender: Tender) -> list[TenderDocument]:
    return list(
        session.scalars(
            select(TenderDocument)
            .where(TenderDocument.tender_id == tender.id)
            .order_by(TenderDocument.version)
        )
    )


def register(session: Session, *, actor: Actor, code: str) -> TenderEntrant:
    """Register for a tender and freeze the bid security from the bidder's available money."""
    require(actor, perm.BID)
    bidder = parties.bidder_of(session, actor)
    tender = get(session, code, lock=True)
    if utcnow() > tender.deadline or tender.round > 1:
        raise Conflict("投标已截止。", code="tendering.deadline_passed")
    if procedures.rule(tender.procedure).invited and (bidder.uscc or "") not in tender.invited_usccs:
        raise PermissionDenied("本项目为邀请招标，贵单位未在受邀之列。", code="tendering.not_invited")
    if session.scalar(
        select(TenderEntrant.id).where(
            TenderEntrant.tender_id == tender.id, TenderEntrant.bidder_id == bidder.id
        )
    ):
        raise Conflict("已报名该项目。", code="tendering.already_registered")
    ledger.post(
        session,
        actor=actor,
        kind="freeze",
        ref=f"{tender.code}/投标保证金",
        entries=pb.move(pb.available(bidder.id), security_account(tender.id, bidder.id), tender.security_fen),
    )
    entrant = TenderEntrant(tender_id=tender.id, bidder_id=bidder.id, security="frozen")
    session.add(entrant)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.register",
        entity_type=ENTITY,
        entity_id=tender.code,
        after={"投标人": bidder.name, "投标保证金（元）": tender.security_fen / 100},
    )
    return entrant


def aad(tender: Tender, bidder_id: int, round_: int | None = None) -> bytes:
    """What a sealed bid is bound to: the tender, the bidder and (after the first) the quote round,
    so a ciphertext of one round cannot be replayed in another."""
    r = tender.round if round_ is None else round_
    return (f"{tender.code}|{bidder_id}" + (f"|{r}" if r > 1 else "")).encode()


def _sealed_text(tender: Tender, bidder: Bidder, price: str | None, sealed: str | None) -> str:
    if sealed:
        return sealed.strip()
    if not price:
        raise ValidationFailed("请填写投标报价。", code="tendering.price_missing")
    fen = parties.to_fen(price, "投标报价") or 0
    body = json.dumps({"price_fen": fen}).encode()
    return envelope.seal(bytes.fromhex(tender.public_key), body, aad=aad(tender, bidder.id))


def _own_bid(session: Session, tender: Tender, bidder: Bidder) -> TenderBid | None:
    """The bidder's bid so far; refused when the procedure forbids changing it (询价 quotes once)
    or, in a later round of 竞争性谈判, when the bidder's last quote was not valid."""
    bid = session.scalar(
        select(TenderBid).where(TenderBid.tender_id == tender.id, TenderBid.bidder_id == bidder.id)
    )
    proc = procedures.rule(tender.procedure)
    if bid is not None and bid.round == tender.round and not proc.revisable:
        raise Conflict(f"{proc.label}报价一次报出，不得更改。", code="tendering.quote_final")
    if tender.round > 1 and (bid is None or (bid.round < tender.round and bid.open_status != "valid")):
        raise Conflict("上一轮没有有效报价，不能参加本轮报价。", code="tendering.not_in_round")
    return bid


def submit_bid(
    session: Session,
    *,
    actor: Actor,
    code: str,
    price: str | None,
    sealed: str | None,
    now: datetime | None = None,
) -> TenderBid:
    """Seal and keep a bid (a later one before the deadline replaces it); refused after the deadline."""
    require(actor, perm.BID)
    bidder = parties.bidder_of(session, actor)
    tender = get(session, code, lock=True)
    if (now or utcnow()) > tender.deadline:
        raise Conflict("投标截止时间已过，不再接收投标文件。", code="tendering.deadline_passed")
    if not session.scalar(
        select(TenderEntrant.id).where(
            TenderEntrant.tender_id == tender.id,
            TenderEntrant.bidder_id == bidder.id,
            TenderEntrant.security == "frozen",
        )
    ):
        raise Conflict("请先报名并交纳投标保证金。", code="tendering.not_registered")
    bid = _own_bid(session, tender, bidder)
    text = _sealed_text(tender, bidder, price, sealed)
    if bid is None:
        bid = TenderBid(tender_id=tender.id, bidder_id=bidder.id, sealed=text, digest=envelope.digest(text))
        session.add(bid)
    bid.sealed, bid.digest, bid.submitted_at = text, envelope.digest(text), now or utcnow()
    bid.round, bid.open_status, bid.open_note, bid.price_fen = tender.round, "sealed", "", None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.bid",
        entity_type=ENTITY,
        entity_id=tender.code,
        after={"投标人": bidder.name, "密封文件摘要": bid.digest},
    )
    return bid
