"""Capabilities: create, list, import from XLSX (all-or-nothing), and matching both ways.

Matching uses the lexical ranker (``matching.ranker``) over the stored texts; each match says
why (shared terms, concepts, field) plus the TRL fit against the challenge. The ranker is
rebuilt only when the set of capabilities (or open challenges) changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from longcheng.core import audit, changelog
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.paging import Page, paginate
from longcheng.matching import permissions as perm
from longcheng.matching.broker import feedback as desk
from longcheng.matching.capabilities.models import KINDS, Capability
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


@dataclass(frozen=True)
class CapabilityFilter:
    """Filters of the capability list: words, kind, field, lowest TRL, organisation."""

    q: str = ""
    kind: str = ""
    field: str = ""
    trl_min: int | None = None
    org: str = ""


def _filtered(filters: CapabilityFilter) -> Select[Capability]:
    query = select(Capability)
    if filters.q:
        q = filters.q
        query = query.where(
            Capability.title.contains(q) | Capability.keywords.contains(q) | Capability.org_name.contains(q)
        )
    if filters.kind in KINDS:
        query = query.where(Capability.kind == filters.kind)
    if filters.field:
        query = query.where(Capability.field.contains(filters.field))
    if filters.trl_min is not None:
        query = query.where(Capability.trl >= filters.trl_min)
    if filters.org:
        query = query.where(Capability.org_uscc == filters.org)
    return query


def search(
    session: Session, *, filters: CapabilityFilter | None = None, page: int = 1, page_size: int = 20
) -> Page[Capability]:
    """Capabilities, newest first, searched in title, keywords and organisation, filtered."""
    query = _filtered(filters or CapabilityFilter()).order_by(Capability.id.desc())
    return paginate(session, query, page=page, page_size=page_size)


def iter_export(session: Session, *, filters: CapabilityFilter, limit: int) -> Iterator[Capability]:
    """The filtered capabilities, newest first, at most ``limit``."""
    yield from session.scalars(_filtered(filters).order_by(Capability.id.desc()).limit(limit))


def may_edit(actor: Actor | None, row: Capability) -> bool:
    """Managers edit any capability, a firm its own organisation's."""
    if actor is None or not can(actor, perm.CAPABILITY_EDIT):
        return False
    return actor.role != Role.enterprise or actor.org_uscc == row.org_uscc


def update(session: Session, *, actor: Actor, code: str, data: CapabilityIn) -> Capability:
    """Change a capability; audited field by field; the title stays unique per organisation."""
    row = get(session, code=code)
    if not may_edit(actor, row):
        raise PermissionDenied("只能修改本单位的成果。", code="matching.capability_other_org")
    _check_org(actor, data)
    clash = session.scalar(
        select(Capability.id).where(
            Capability.org_uscc == data.org_uscc, Capability.title == data.title, Capability.id != row.id
        )
    )
    if clash:
        raise Conflict(f"本单位已登记同名成果“{data.title}”。", code="matching.capability_duplicate")
    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for name, value in data.model_dump().items():
        if getattr(row, name) != value:
            before[name], after[name] = getattr(row, name), value
            setattr(row, name, value)
    if after:
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="matching.capability.update",
            entity_type=ENTITY,
            entity_id=row.code,
            before=before,
            after=after,
        )
    return row


def changes(session: Session, *, code: str) -> list[changelog.ChangeView]:
    """The capability's change log (newest first)."""
    return [changelog.describe(r) for r in audit.history(session, entity_type=ENTITY, entity_id=code)]


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


def field_fit(challenge_field: str, capability: Capability) -> str | None:
    """How the capability's field meets the challenge's, in Chinese (``None`` when unknown)."""
    if not capability.field:
        return None
    if capability.field == challenge_field:
        return f"领域相符：{challenge_field}"
    if capability.field.split("/")[0] == challenge_field.split("/")[0]:
        return f"领域相近：{challenge_field} ↔ {capability.field}"
    return f"跨领域：{challenge_field} ↔ {capability.field}"


def for_challenge(session: Session, *, actor: Actor, code: str, top: int = 10) -> list[MatchView]:
    """The capabilities that fit a challenge, best first (the seeker and managers).

    The ranker's candidates (three times ``top``) are reweighted by the broker's feedback on
    similar pairs (``broker.feedback``) and lifted a little for a past partner of the seeker;
    each says why: shared terms and concepts, field and TRL fit, collaboration, feedback.
    """
    challenge = challenges.get(session, code=code)
    if not challenges.is_insider(challenge, actor) and not can(actor, perm.CHALLENGE_MANAGE):
        raise PermissionDenied("只有发榜方和管理人员可以查看推荐成果。", code="matching.forbidden")
    ranker, rows = _capability_ranker(session)
    learned = desk.learned(session)
    partners = desk.collaborations(session, challenge=challenge)
    out = []
    for match in ranker.rank(_challenge_doc(challenge), top=top * 3):
        row = rows[match.id]
        keys = desk.pair_keys(challenge.field, row)
        score = match.score * learned.factor(keys)
        why = [w for w in match.why if not w.startswith("同属领域")]
        why += [x for x in (field_fit(challenge.field, row), trl_fit(challenge, row)) if x]
        if row.org_uscc in partners:
            score *= desk.COLLABORATION_BONUS
            why.append(partners[row.org_uscc])
        if (said := learned.explain(keys)) is not None:
            why.append(said)
        out.append(MatchView(row.code, f"{row.title}（{row.org_name}）", round(score, 6), why))
    out.sort(key=lambda m: (-m.score, m.code))
    return out[:top]


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
