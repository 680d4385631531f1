"""Editing a published challenge, and the change log its page shows.

* Only the seeker, its publisher or a manager may edit, and only while proposals are taken
  (an open challenge before its deadline); the same checks as publishing apply.
* Every change is audited (``matching.challenge.update``, before and after, in the change log's
  words). The confidential details are never copied into the log: only that they changed.
* A changed agreement text is a new agreement version: solvers must accept it again before they
  read the details. Every solver who accepted an earlier version is told through the
  notification centre.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit, changelog
from longcheng.core.actors import Actor
from longcheng.core.auth import can
from longcheng.core.errors import Conflict, PermissionDenied
from longcheng.matching import permissions as perm
from longcheng.matching.challenges.models import AgreementAcceptance, Challenge, ChallengeStatus
from longcheng.matching.challenges.schemas import ChallengeIn
from longcheng.matching.challenges.service.core import ENTITY, check_dates_and_trl, get, is_insider, status_of
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source

DETAILS_CHANGED = "已修改（保密内容不在记录中显示）"
SHOWN_ACTIONS = ("matching.challenge.publish", "matching.challenge.update", "matching.proposal.select")


def editable(challenge: Challenge, actor: Actor | None) -> bool:
    """Whether ``actor`` may edit the challenge now (an insider, proposals still taken)."""
    return actor is not None and is_insider(challenge, actor) and status_of(challenge) is ChallengeStatus.open


def _new_values(challenge: Challenge, data: ChallengeIn, actor: Actor) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": data.title,
        "field": data.field,
        "summary": data.summary,
        "details": data.details,
        "trl_current": data.trl_current,
        "trl_target": data.trl_target,
        "budget_fen": data.budget,
        "deadline": data.deadline,
        "ip_terms": data.ip_terms.value,
        "agreement_text": data.agreement_text,
        "anonymous": data.anonymous,
        "district": data.district or challenge.district,
    }
    if can(actor, perm.CHALLENGE_MANAGE):
        values["top_ten"] = data.top_ten
    if challenge.seeker_uscc is None and data.seeker_name:
        values["seeker_name"] = data.seeker_name
    return values


def _logged(name: str, value: Any) -> Any:
    if name == "details":
        return DETAILS_CHANGED
    return value.isoformat() if hasattr(value, "isoformat") else value


def update(session: Session, *, actor: Actor, code: str, data: ChallengeIn) -> Challenge:
    """Change a challenge before proposals close; audited field by field; returns it."""
    challenge = get(session, code=code)
    if actor is None or not is_insider(challenge, actor):
        raise PermissionDenied("只有发榜方和管理人员可以修改榜单。", code="matching.forbidden")
    if status_of(challenge) is not ChallengeStatus.open:
        raise Conflict("榜单已截止或已揭榜，不能再修改。", code="matching.challenge_locked")
    check_dates_and_trl(data)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in _new_values(challenge, data, actor).items():
        old = getattr(challenge, name)
        if old != value:
            before[name] = "—" if name == "details" else _logged(name, old)
            after[name] = _logged(name, value)
            setattr(challenge, name, value)
    if not after:
        return challenge
    if "agreement_text" in after:
        challenge.agreement_version += 1
        before["agreement_version"], after["agreement_version"] = (
            challenge.agreement_version - 1,
            challenge.agreement_version,
        )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="matching.challenge.update",
        entity_type=ENTITY,
        entity_id=code,
        before=before,
        after=after,
    )
    _tell_solvers(session, actor=actor, challenge=challenge)
    return challenge


def _tell_solvers(session: Session, *, actor: Actor, challenge: Challenge) -> None:
    users = tuple(
        session.scalars(
            select(AgreementAcceptance.user_id)
            .where(AgreementAcceptance.challenge_id == challenge.id)
            .distinct()
        )
    )
    if users:
        notifications.notify(
            session,
            actor=actor,
            recipients=Recipients(user_ids=users),
            kind="matching.challenge_changed",
            title=f"榜单已变更：{challenge.title}",
            body="您关注的榜单内容已修改，请查看变更记录。",
            link=f"/matching/challenges/{challenge.code}#changes",
            source=Source(module="matching", entity_type="challenge", entity_id=challenge.code),
        )


def changes(session: Session, *, code: str) -> list[changelog.ChangeView]:
    """The public change log of a challenge: publication, edits and selection (oldest first)."""
    records = audit.history(session, entity_type=ENTITY, entity_id=code)
    shown = [r for r in records if r.action in SHOWN_ACTIONS]
    return sorted((changelog.describe(r) for r in shown), key=lambda c: c.seq)
