"""Capabilities: create, list, import from XLSX (all-or-nothing), and matching both ways.

Matching uses the lexical ranker (``matching.ranker``) over the stored texts; each match says
why (shared terms, concepts, field) plus the TRL fit against the challenge. The ranker is
rebuilt only when the set of capabilities (or open challenges) changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.matching import permissions as perm
from longcheng.matching.capabilities.models import Capability
from longcheng.matching.capabilities.schemas import CapabilityIn
from longcheng.matching.challenges import service as challenges
from longcheng.matching.challenges.models import Challenge
from longcheng.matching.ranker import Doc, Ranker

ENTITY = "matching.capability"
_CACHE: dict[str, tuple[int, Ranker]] = {}  # rebuilt when the texts change


@dataclass
class MatchView:
    """One match: the other side's code and title, the score and the reasons."""

    code: str
    title: str
    score: float
    why: list[str] = field(default_factory=list)


def _next_code(session: Session, offset: int = 0) -> str:
    return f"CG{(session.scalar(select(func.max(Capability.id))) or 0) + 1 + offset:06d}"


def _check_org(actor: Actor, data: CapabilityIn) -> None:
    require(actor, perm.CAPABILITY_EDIT)
    if actor.role == Role.enterprise and actor.org_uscc != data.org_uscc:
        raise PermissionDenied("只能登记本单位的成果。", code="matching.capability_other_org")


def create(session: Session, *, actor: Actor, data: CapabilityIn) -> Capability:
    """Register one capability; a second one with the same title for the organisation is refused."""
    _check_org(actor, data)
    if session.scalar(
        select(Capability.id).where(Capability.org_uscc == data.org_uscc, Capability.title == data.title)
    ):
        raise Conflict(f"本单位已登记同名成果“{data.title}”。", code="matching.capability_duplicate")
    row = Capability(code=_next_code(session), **data.model_dump())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.capability.create",
        entity_type=ENTITY,
        entity_id=row.code,
        after={"title": data.title, "org_name": data.org_name},
    )
    return row


def row_problems(
    session: Session, *, actor: Actor, rows: Sequence[tuple[int, CapabilityIn]]
) -> dict[str, str]:
    """Per-row problems of an import: duplicates in the file or already stored, other orgs."""
    errors: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, data in rows:
        key = (data.org_uscc, data.title)
        if key in seen:
            errors[f"第{number}行"] = f"与第{seen[key]}行重复：同一单位的成果名称“{data.title}”"
        elif session.scalar(
            select(Capability.id).where(Capability.org_uscc == key[0], Capability.title == key[1])
        ):
            errors[f"第{number}行"] = f"该单位已登记同名成果“{data.title}”"
        seen.setdefault(key, number)
        try:
            _check_org(actor, data)
        except PermissionDenied as exc:
            errors[f"第{number}行"] = exc.message_text
    return errors


def import_rows(
    session: Session, *, actor: Actor, rows: Sequence[tuple[int, CapabilityIn]]
) -> list[Capability]:
    """Write every row or none: duplicates (in the file or already stored) are reported by row."""
    errors = row_problems(session, actor=actor, rows=rows)
    if errors:
        raise ValidationFailed(
            f"导入未执行：{len(errors)} 行有误，请修改后重新导入（未写入任何数据）。",
            code="matching.capability_import_invalid",
            details=errors,
        )
    made = []
    for offset, (_number, data) in enumerate(rows):
        row = Capability(code=_next_code(session, offset), **data.model_dump())
        session.add(row)
        made.append(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.capability.import",
        entity_type=ENTITY,
        entity_id="import",
        after={"count": len(made)},
    )
    return made


def get(session: Session, *, code: str) -> Capability:
    row = session.scalar(select(Capability).where(Capability.code == code))
    if row is None:
        raise NotFound("未找到该成果。", code="matching.capability_not_found")
    return row


def search(
    session: Session, *, q: str = "", page: int = 1, page_size: int = 20
) -> tuple[list[Capability], int]:
    """Capabilities, newest first, searched in title, keywords and organisation."""
    query = select(Capability)
    if q:
        query = query.where(
            Capability.title.contains(q) | Capability.keywords.contains(q) | Capability.org_name.contains(q)
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Capability.id.desc()).offset((page - 1) * page_size).limit(page_size)
    )
    return list(rows), total


def _capability_doc(row: Capability) -> Doc:
    return Doc(
        id=row.code, title=row.title, text=f"{row.keywords} {row.description}", field=row.field or None
    )


def _challenge_doc(row: Challenge) -> Doc:
    return Doc(id=row.code, title=row.title, text=row.summary, field=row.field)


def _cached(name: str, stamp: int, docs: list[Doc]) -> Ranker:
    cached = _CACHE.get(name)
    if cached is None or cached[0] != stamp:
        cached = (stamp, Ranker(docs))
        _CACHE[name] = cached
    return cached[1]


def _capability_ranker(session: Session) -> tuple[Ranker, dict[str, Capability]]:
    rows = {r.code: r for r in session.scalars(select(Capability))}
    stamp = hash(tuple((r.code, r.title, r.description) for r in rows.values()))
    return _cached("capabilities", stamp, [_capability_doc(r) for r in rows.values()]), rows


def _challenge_ranker(session: Session) -> tuple[Ranker, dict[str, Challenge]]:
    rows = {r.code: r for r in session.scalars(select(Challenge))}
    stamp = hash(tuple((r.code, r.title, r.summary) for r in rows.values()))
    return _cached("challenges", stamp, [_challenge_doc(r) for r in rows.values()]), rows


def trl_fit(challenge: Challenge, capability: Capability) -> str:
    """How the capability's TRL meets the challenge's current and target levels, in Chinese."""
    if capability.trl is None:
        return "成果未填技术成熟度"
    if capability.trl >= challenge.trl_target:
        return f"技术成熟度 {capability.trl} 级，已达到目标 {challenge.trl_target} 级"
    if capability.trl > challenge.trl_current:
        return f"技术成熟度 {capability.trl} 级，高于需求现状 {challenge.trl_current} 级"
    return f"技术成熟度 {capability.trl} 级，不高于需求现状 {challenge.trl_current} 级"


def for_challenge(session: Session, *, actor: Actor, code: str, top: int = 10) -> list[MatchView]:
    """The capabilities that fit a challenge, best first (the seeker and managers)."""
    challenge = challenges.get(session, code=code)
    if not challenges.is_insider(challenge, actor) and not can(actor, perm.CHALLENGE_MANAGE):
        raise PermissionDenied("只有发榜方和管理人员可以查看推荐成果。", code="matching.forbidden")
    ranker, rows = _capability_ranker(session)
    out = []
    for match in ranker.rank(_challenge_doc(challenge), top=top):
        row = rows[match.id]
        out.append(
            MatchView(
                row.code, f"{row.title}（{row.org_name}）", match.score, [*match.why, trl_fit(challenge, row)]
            )
        )
    return out


def for_capability(session: Session, *, code: str, top: int = 10) -> list[MatchView]:
    """The open challenges a capability could answer, best first (public summaries only)."""
    capability = get(session, code=code)
    ranker, rows = _challenge_ranker(session)
    out = []
    for match in ranker.rank(_capability_doc(capability), top=top * 2):
        row = rows[match.id]
        if challenges.status_of(row).value != "open":
            continue
        out.append(MatchView(row.code, row.title, match.score, [*match.why, trl_fit(row, capability)]))
    return out[:top]
