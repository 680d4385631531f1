"""评标 by experts after 开标: a panel drawn from the expert pool with every bidder's conflicts
excluded, declarations before the bids are shown, technical scores per bid, and the candidates
ranked by the combined score (综合评分法) or by price (最低投标价法) as the charter says."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.exchange.charter import terms
from longcheng.exchange.models import Bidder
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering import procedures
from longcheng.exchange.tendering.models import Tender, TenderBid, TenderEvaluation, TenderPanelMember
from longcheng.exchange.tendering.service import ENTITY, get
from longcheng.experts import schemas as expert_schemas
from longcheng.experts import service as experts_service

FIELD = "software"


def context(tender: Tender) -> str:
    return f"tender:{tender.code}"


@dataclass(frozen=True)
class Ranked:
    bid: TenderBid
    price_score: Decimal
    technical: Decimal | None
    combined: Decimal


def bidders(session: Session, tender: Tender) -> list[str]:
    stmt = (
        select(Bidder.uscc)
        .join(TenderBid, TenderBid.bidder_id == Bidder.id)
        .where(TenderBid.tender_id == tender.id)
        .order_by(TenderBid.id)
    )
    return [u for u in session.scalars(stmt) if u]


def conflicted(session: Session, actor: Actor, usccs: list[str]) -> dict[int, tuple[Any, list[str]]]:
    """Every active expert of the pool in conflict with ANY bidder, with the reasons."""
    out: dict[int, tuple[Any, list[str]]] = {}
    page = 1
    while True:
        found = experts_service.list_experts(
            session,
            actor=actor,
            filters=expert_schemas.ExpertFilter(status="active"),
            page=page,
            page_size=200,
        )
        for e in found.items:
            reasons = [
                r.label_zh
                for u in usccs
                for r in experts_service.conflicts(session, actor=actor, expert_id=e.id, applicant_uscc=u)
            ]
            if reasons:
                out[e.id] = (e, sorted(set(reasons)))
        if page * 200 >= found.total:
            return out
        page += 1


def _seat(session: Session, tender: Tender, expert: Any, state: str, reasons: list[str]) -> None:
    session.add(
        TenderPanelMember(
            tender_id=tender.id,
            expert_id=expert.id,
            user_id=expert.user_id,
            expert_code=expert.code,
            expert_name=expert.name,
            state=state,
            reasons=reasons,
        )
    )


def clean(
    session: Session, actor: Actor, tender: Tender, seated: list[int], bad: set[int], seed: int
) -> list[int]:
    """Replace every drawn expert in conflict with a bidder through the pool's substitution."""
    out = []
    for k, expert_id in enumerate(seated):
        tries = 0
        while expert_id in bad and tries < 20:
            tries += 1
            new = experts_service.substitute(
                session,
                actor=actor,
                context=context(tender),
                ref=tender.code,
                expert_id=expert_id,
                seed=seed + 1000 * (k + 1) + tries,
            )
            expert_id = new.expert_id
        if expert_id in bad:
            raise Conflict("专家库中无利益冲突的专家不足。", code="tendering.panel_short")
        out.append(expert_id)
    return out


def draw_panel(session: Session, *, actor: Actor, code: str, seed: int) -> list[TenderPanelMember]:
    """Draw the charter's panel size at random; an expert in conflict with any bidder is never seated
    (drawn ones are replaced through the pool's substitution until the panel is clean)."""
    require(actor, perm.MANAGE)
    tender = get(session, code, lock=True)
    if tender.status != "opened":
        raise Conflict("开标完成后才能抽取评标专家。", code="tendering.not_opened")
    if session.scalar(select(TenderPanelMember.id).where(TenderPanelMember.tender_id == tender.id)):
        raise Conflict("本项目已抽取过评标专家。", code="tendering.panel_drawn")
    usccs = bidders(session, tender)
    bad = conflicted(session, actor, usccs)
    item = experts_service.AssignItem(ref=tender.code, field=FIELD, applicant_uscc=usccs[0])
    size = int(terms.load().tendering["panel_size"])
    drawn = experts_service.assign(
        session, actor=actor, context=context(tender), items=[item], per_item=size, seed=seed
    )
    seated = clean(session, actor, tender, [a.expert_id for a in drawn.assigned], set(bad), seed)
    for expert_id in seated:
        _seat(session, tender, experts_service.get(session, actor=actor, expert_id=expert_id), "panel", [])
    for expert, reasons in bad.values():
        _seat(session, tender, expert, "conflict", reasons)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.panel_draw",
        entity_type=ENTITY,
        entity_id=code,
        after={"随机种子": seed, "评标专家人数": len(seated), "回避专家人数": len(bad)},
    )
    return panel(session, tender)


def panel(session: Session, tender: Tender) -> list[TenderPanelMember]:
    stmt = select(TenderPanelMember).where(
        TenderPanelMember.tender_id == tender.id, TenderPanelMember.state == "panel"
    )
    return list(session.scalars(stmt.order_by(TenderPanelMember.id)))


def member_of(session: Session, tender: Tender, actor: Actor) -> TenderPanelMember:
    require(actor, perm.EVALUATE)
    row = session.scalar(
        select(TenderPanelMember).where(
            TenderPanelMember.tender_id == tender.id, TenderPanelMember.user_id == actor.id
        )
    )
    if row is not None and row.state == "conflict":
        raise PermissionDenied(
            "您与本项目投标人存在利益冲突（" + "、".join(row.reasons) + "），不得参与评标。",
            code="tendering.expert_conflict",
        )
    if row is None or row.state != "panel":
        raise PermissionDenied("您不是（或已不是）本项目的评标专家。", code="tendering.not_on_panel")
    return row


def declare(session: Session, *, actor: Actor, code: str, has_conflict: bool, statement: str = "") -> bool:
    """The panel expert signs the COI declaration (through the expert pool) before seeing the bids.
    A declared conflict recuses the expert; ``replacement.declare`` then seats a fresh draw."""
    tender = get(session, code)
    member_of(session, tender, actor)
    data = expert_schemas.DeclareIn(has_conflict=has_conflict, statement=statement)
    experts_service.declare(session, actor=actor, context=context(tender), ref=tender.code, data=data)
    return not has_conflict


def bids_for_expert(session: Session, *, actor: Actor, code: str) -> list[TenderBid]:
    """The valid bids, shown to a panel expert only after their declaration of no conflict."""
    tender = get(session, code)
    member_of(session, tender, actor)
    if not experts_service.declared(session, actor=actor, context=context(tender), ref=tender.code):
        raise PermissionDenied(
            "请先签署无利益冲突声明后再查看投标文件。", code="tendering.declaration_required"
        )
    stmt = select(TenderBid).where(TenderBid.tender_id == tender.id, TenderBid.open_status == "valid")
    return list(session.scalars(stmt.order_by(TenderBid.id)))


def score_bid(
    session: Session, *, actor: Actor, code: str, bid_id: int, technical: int, comment: str = ""
) -> TenderEvaluation:
    """A panel expert's technical score (0–100) of one valid bid; refused before the declaration."""
    tender = get(session, code)
    member = member_of(session, tender, actor)
    if tender.status != "opened":
        raise Conflict("本项目不在评标阶段。", code="tendering.not_evaluating")
    valid = {b.id for b in bids_for_expert(session, actor=actor, code=code)}
    if bid_id not in valid:
        raise ValidationFailed("未找到该有效投标。", code="tendering.bid_not_found")
    if not 0 <= technical <= 100:
        raise ValidationFailed("技术分须在 0–100 之间。", code="tendering.score_out_of_range")
    row = session.scalar(
        select(TenderEvaluation).where(
            TenderEvaluation.bid_id == bid_id, TenderEvaluation.expert_id == member.expert_id
        )
    )
    before = {"技术分": row.technical} if row else None
    if row is None:
        row = TenderEvaluation(tender_id=tender.id, bid_id=bid_id, expert_id=member.expert_id, technical=0)
        session.add(row)
    row.technical, row.comment = technical, comment
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.tender.evaluate",
        entity_type=ENTITY,
        entity_id=code,
        before=before,
        after={"评标专家": member.expert_code, "投标编号": bid_id, "技术分": technical},
    )
    return row


def _mean(totals: list[int]) -> Decimal | None:
    """Mean technical score; the highest and the lowest dropped with five or more experts."""
    if not totals:
        return None
    kept = sorted(totals)[1:-1] if len(totals) >= 5 else totals
    return Decimal(sum(kept)) / len(kept)


def ranking(session: Session, tender: Tender) -> list[Ranked]:
    """Valid bids ranked: 综合评分法 (price score = lowest price / price × weight, plus the panel's
    technical mean × (100 − weight) / 100) when the charter says so and scores exist, else by price."""
    rules = terms.load().tendering
    stmt = select(TenderBid).where(TenderBid.tender_id == tender.id, TenderBid.open_status == "valid")
    lowest_compliant = procedures.rule(tender.procedure).award == "lowest_price"
    if lowest_compliant:
        stmt = stmt.where(TenderBid.compliant.is_not(False))
    bids = list(session.scalars(stmt.order_by(TenderBid.price_fen, TenderBid.submitted_at)))
    if not bids:
        return []
    weight = Decimal(int(rules.get("price_weight", 100)))
    low = Decimal(bids[0].price_fen or 1)
    scores: dict[int, list[int]] = {}
    for bid_id, points in session.execute(
        select(TenderEvaluation.bid_id, TenderEvaluation.technical).where(
            TenderEvaluation.tender_id == tender.id
        )
    ):
        scores.setdefault(bid_id, []).append(points)
    q = Decimal("0.01")
    out = []
    for b in bids:
        price = (low / Decimal(b.price_fen or 1) * weight).quantize(q, ROUND_HALF_UP)
        tech = _mean(scores.get(b.id, []))
        tech_part = (tech or Decimal(0)) * (100 - weight) / 100
        out.append(Ranked(b, price, tech, (price + tech_part).quantize(q, ROUND_HALF_UP)))
    if rules.get("evaluation") == "comprehensive" and scores and not lowest_compliant:
        out.sort(key=lambda r: (-r.combined, r.bid.price_fen or 0, r.bid.submitted_at))
    return out


def check_complete(session: Session, tender: Tender) -> None:
    """Under 综合评分法 every panel expert must have scored every valid bid before the publicity;
    without a panel the charter's ``no_panel`` rule (最低投标价法) applies."""
    if procedures.rule(tender.procedure).award == "lowest_price":
        _check_judged(session, tender)
        return
    rules = terms.load().tendering
    members = panel(session, tender)
    if rules.get("evaluation") != "comprehensive" or (
        not members and rules.get("no_panel") == "lowest_price"
    ):
        return
    bids = session.scalars(
        select(TenderBid.id).where(TenderBid.tender_id == tender.id, TenderBid.open_status == "valid")
    ).all()
    done = session.execute(
        select(TenderEvaluation.bid_id, TenderEvaluation.expert_id).where(
            TenderEvaluation.tender_id == tender.id
        )
    ).all()
    missing = len(members) * len(bids) - len(done)
    if not members or missing > 0:
        raise Conflict(
            f"评标尚未完成（缺少 {max(missing, 0)} 项评分），不能公示中标候选人。",
            code="tendering.evaluation_incomplete",
        )


def _check_judged(session: Session, tender: Tender) -> None:
    """竞争性谈判/询价: every round done, every valid quote judged, at least one meeting the needs."""
    proc = procedures.rule(tender.procedure)
    if tender.round < tender.rounds:
        raise Conflict(
            f"{proc.label}须完成全部 {tender.rounds} 轮报价（现为第 {tender.round} 轮）。",
            code="tendering.rounds_pending",
        )
    found = session.scalars(
        select(TenderBid.compliant).where(TenderBid.tender_id == tender.id, TenderBid.open_status == "valid")
    ).all()
    if any(c is None for c in found):
        raise Conflict(
            f"尚有 {sum(1 for c in found if c is None)} 份报价未作是否符合采购需求的认定。",
            code="tendering.judgement_pending",
        )
    if not any(found):
        raise Conflict("没有符合采购需求的报价，不能确定成交候选人。", code="tendering.none_compliant")
