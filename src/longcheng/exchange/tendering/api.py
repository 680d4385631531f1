"""JSON API of e-tendering under /api/v1/exchange/tenders (amounts in fen)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.validation import validate
from longcheng.exchange.models import Bidder
from longcheng.exchange.tendering import evaluation, opening, replacement, rounds, service
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering.models import Tender, TenderBid, TenderDocument, TenderObjection
from longcheng.exchange.tendering.schemas import (
    AwardIn,
    BidIn,
    DocumentIn,
    JudgeIn,
    ObjectionIn,
    ReplyIn,
    RoundIn,
    ShareIn,
    TenderIn,
)

router = APIRouter(prefix="/api/v1/exchange/tenders", tags=["exchange tendering 招标采购"])
_V = "exchange.tender.invalid"


class DocumentRead(BaseModel):
    version: int
    kind: str
    title: str
    body: str
    sha256: str
    published_at: datetime


class TenderRead(BaseModel):
    code: str
    procedure: str
    round: int
    rounds: int
    title: str
    purchaser_name: str
    budget_fen: int
    security_fen: int
    public_key: str
    threshold: int
    deadline: datetime
    opening_at: datetime
    status: str
    documents: list[DocumentRead]
    opening_record: dict[str, Any]
    candidates: list[dict[str, Any]]
    publicity_ends_at: datetime | None
    contract_no: str


class BidRead(BaseModel):
    bidder: str
    digest: str
    submitted_at: datetime
    price_fen: int | None
    open_status: str


class JudgedRead(BaseModel):
    bid_id: int
    compliant: bool
    note: str


class ShareRead(BaseModel):
    share: str


class EntrantRead(BaseModel):
    security: str


class PresentRead(BaseModel):
    status: str


class ObjectionRead(BaseModel):
    id: int
    text: str
    reply: str


def _doc(d: TenderDocument) -> dict[str, Any]:
    return {c: getattr(d, c) for c in DocumentRead.model_fields}


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Bidder.id, Bidder.name).where(Bidder.id.in_(ids))).all()
    return {int(r[0]): str(r[1]) for r in rows}


def tender_json(session: Session, t: Tender) -> dict[str, Any]:
    shown = t.status in ("publicity", "awarded")
    cands = opening.candidates(session, t) if shown else []
    names = _names(session, [c.bidder_id for c in cands])
    out = {c: getattr(t, c) for c in TenderRead.model_fields if hasattr(t, c) and c != "documents"}
    out["documents"] = [_doc(d) for d in service.documents(session, t)]
    ranks = {r.bid.id: r for r in evaluation.ranking(session, t)} if shown else {}
    out["candidates"] = [
        {
            "rank": i + 1,
            "bidder": names[c.bidder_id],
            "price_fen": c.price_fen,
            "score": str(ranks[c.id].combined) if c.id in ranks else None,
        }
        for i, c in enumerate(cands)
    ]
    return out


@router.post("", status_code=201, response_model=TenderRead)
def create(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Publish a tender: the notice, the officers who hold its key shares and the threshold."""
    t = service.create(session, actor=actor, data=validate(TenderIn, body, code=_V))
    return tender_json(session, t)


@router.get("/{code}", response_model=TenderRead)
def read(code: str, session: DbSession) -> dict[str, Any]:
    """A tender as the public sees it; prices appear only after 开标."""
    return tender_json(session, service.get(session, code))


@router.post("/{code}/documents", status_code=201, response_model=DocumentRead)
def publish(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Publish a new document version or a 答疑 to every registered bidder."""
    data = validate(DocumentIn, body, code=_V)
    return _doc(service.publish_document(session, actor=actor, code=code, data=data))


@router.get("/{code}/documents/{sha256}", response_model=DocumentRead)
def document(code: str, sha256: str, session: DbSession) -> dict[str, Any]:
    """A document by the SHA-256 of its text."""
    for d in service.documents(session, service.get(session, code)):
        if d.sha256 == sha256:
            return _doc(d)
    raise NotFound("未找到该文件。", code="tendering.document_not_found")


@router.post("/{code}/entrants", status_code=201, response_model=EntrantRead)
def register(code: str, session: DbSession, actor: CurrentActor) -> dict[str, str]:
    """Register and freeze the bid security."""
    e = service.register(session, actor=actor, code=code)
    return {"security": e.security}


@router.post("/{code}/bids", status_code=201, response_model=BidRead)
def bid(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Submit a sealed bid: a ``sealed`` text made with the tender's public key, or a ``price``
    the server seals at once (never stored in the clear). Returns the receipt."""
    data = validate(BidIn, body, code=_V)
    b = service.submit_bid(session, actor=actor, code=code, price=data.price, sealed=data.sealed)
    return _bid(b, _names(session, [b.bidder_id]))


def _bid(b: TenderBid, names: dict[int, str]) -> dict[str, Any]:
    return {
        "bidder": names[b.bidder_id],
        "digest": b.digest,
        "submitted_at": b.submitted_at,
        "price_fen": b.price_fen,
        "open_status": b.open_status,
    }


@router.get("/{code}/bids", response_model=list[BidRead])
def bids(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    """The bids received: before 开标 only digests and times — no one, admin included, sees a price."""
    require(actor, perm.MANAGE)
    t = service.get(session, code)
    rows = list(session.scalars(select(TenderBid).where(TenderBid.tender_id == t.id).order_by(TenderBid.id)))
    names = _names(session, [b.bidder_id for b in rows])
    return [_bid(b, names) for b in rows]


@router.post("/{code}/my-share", response_model=ShareRead)
def collect(code: str, session: DbSession, actor: CurrentActor) -> dict[str, str]:
    """An officer collects their key share once; the server keeps no copy afterwards."""
    return {"share": opening.collect_share(session, actor=actor, code=code)}


@router.post("/{code}/shares", response_model=PresentRead)
def present(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, str]:
    """An officer presents their share at or after the opening time."""
    opening.present_share(session, actor=actor, code=code, share=validate(ShareIn, body, code=_V).share)
    return {"status": "presented"}


@router.post("/{code}/open", response_model=TenderRead)
def open_(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """开标: decrypt and verify every bid with the joined key; the record is published."""
    return tender_json(session, opening.open_tender(session, actor=actor, code=code))


@router.post("/{code}/rounds", response_model=TenderRead)
def next_round(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """竞争性谈判: open the next sealed quote round after the last one was opened."""
    data = validate(RoundIn, body, code=_V)
    t = rounds.next_round(session, actor=actor, code=code, deadline=data.deadline, opening_at=data.opening_at)
    return tender_json(session, t)


@router.post("/{code}/judgements", response_model=JudgedRead)
def judge(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """竞争性谈判/询价: record whether an opened quote meets the requirements."""
    data = validate(JudgeIn, body, code=_V)
    b = rounds.judge(
        session, actor=actor, code=code, bid_id=data.bid_id, compliant=data.compliant, note=data.note
    )
    return {"bid_id": b.id, "compliant": bool(b.compliant), "note": b.compliance_note}


@router.post("/{code}/publicity", response_model=TenderRead)
def publicity(code: str, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Publish the 中标候选人 for the publicity days."""
    return tender_json(session, opening.start_publicity(session, actor=actor, code=code))


@router.post("/{code}/objections", status_code=201, response_model=ObjectionRead)
def objection(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    row = opening.object_(session, actor=actor, code=code, text=validate(ObjectionIn, body, code=_V).text)
    return {"id": row.id, "text": row.text, "reply": row.reply}


@router.post("/{code}/objections/{oid}/reply", response_model=ObjectionRead)
def reply(
    code: str, oid: int, body: dict[str, Any], session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    text = validate(ReplyIn, body, code=_V).reply
    row: TenderObjection = opening.reply(session, actor=actor, code=code, objection_id=oid, text=text)
    return {"id": row.id, "text": row.text, "reply": row.reply}


@router.post("/{code}/award", response_model=TenderRead)
def award(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Award to the first candidate and record the contract; securities are released."""
    no = validate(AwardIn, body, code=_V).contract_no
    return tender_json(session, opening.award(session, actor=actor, code=code, contract_no=no))


class PanelIn(BaseModel):
    seed: int


class PanelRead(BaseModel):
    expert_code: str
    expert_name: str


class DeclareBody(BaseModel):
    has_conflict: bool
    statement: str = ""


class DeclaredRead(BaseModel):
    declared: bool


class EvalBidRead(BaseModel):
    id: int
    bidder: str
    price_fen: int | None


class EvaluateIn(BaseModel):
    bid_id: int
    technical: int
    comment: str = ""


class EvaluationRead(BaseModel):
    bid_id: int
    technical: int


@router.post("/{code}/panel", status_code=201, response_model=list[PanelRead])
def draw(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> list[dict[str, str]]:
    """Draw the 评标委员会 at random from the expert pool; experts in conflict with any bidder excluded."""
    seed = validate(PanelIn, body, code=_V).seed
    rows = evaluation.draw_panel(session, actor=actor, code=code, seed=seed)
    return [{"expert_code": r.expert_code, "expert_name": r.expert_name} for r in rows]


@router.post("/{code}/declaration", response_model=DeclaredRead)
def declare(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, bool]:
    """A panel expert signs the declaration of (no) conflict of interest before seeing the bids."""
    data = validate(DeclareBody, body, code=_V)
    ok = replacement.declare(
        session, actor=actor, code=code, has_conflict=data.has_conflict, statement=data.statement
    )
    return {"declared": ok}


@router.get("/{code}/evaluation/bids", response_model=list[EvalBidRead])
def evaluation_bids(code: str, session: DbSession, actor: CurrentActor) -> list[dict[str, Any]]:
    """The valid bids for a declared panel expert."""
    rows = evaluation.bids_for_expert(session, actor=actor, code=code)
    names = _names(session, [b.bidder_id for b in rows])
    return [{"id": b.id, "bidder": names[b.bidder_id], "price_fen": b.price_fen} for b in rows]


@router.post("/{code}/evaluations", response_model=EvaluationRead)
def evaluate(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, int]:
    """A panel expert's technical score (0–100) of one bid."""
    data = validate(EvaluateIn, body, code=_V)
    row = evaluation.score_bid(
        session, actor=actor, code=code, bid_id=data.bid_id, technical=data.technical, comment=data.comment
    )
    return {"bid_id": row.bid_id, "technical": row.technical}


class AbsentIn(BaseModel):
    expert_code: str
    reason: str


@router.post("/{code}/panel/absent", response_model=PanelRead)
def absent(code: str, body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, str]:
    """Record a panel expert as absent; a fresh conflict-free draw takes the seat."""
    data = validate(AbsentIn, body, code=_V)
    row = replacement.mark_absent(
        session, actor=actor, code=code, expert_code=data.expert_code, reason=data.reason
    )
    return {"expert_code": row.expert_code, "expert_name": row.expert_name}
