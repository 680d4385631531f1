"""The alliance's services: rulebook versions (propose → review), overrides, profiles, rules_for."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import permissions as perm
from longcheng.exchange.alliance.models import InstitutionProfile, RuleOverride, RuleVersion
from longcheng.exchange.charter import terms
from longcheng.exchange.charter.diff import diff
from longcheng.exchange.models import Institution
from longcheng.exchange.rulebook import book
from longcheng.exchange.rulebook.book import RULE_LABELS

ENTITY = "exchange.rule_version"


def packaged_rules() -> dict[str, Any]:
    """The packaged rulebook's rules as a version's ``rules``."""
    rb = book.load()
    return {"defaults": dict(rb.defaults), "classes": {c: dict(a.rules) for c, a in rb.classes.items()}}


def in_force(session: Session, on: date | None = None) -> tuple[str, dict[str, Any]]:
    """(version, rules) of the latest approved version effective on ``on``; the packaged one if none."""
    row = session.scalar(
        select(RuleVersion)
        .where(RuleVersion.status == "approved", RuleVersion.effective_from <= (on or local_today()))
        .order_by(RuleVersion.effective_from.desc(), RuleVersion.id.desc())
        .limit(1)
    )
    if row is None:
        return book.load().version, packaged_rules()
    return row.version, row.rules


def rules_for(session: Session, *, institution_id: int, asset_class: str) -> tuple[str, dict[str, Any]]:
    """(version, rules) a new listing of this institution and class takes and keeps.

    The version in force, the class's rules over the defaults, then the institution's overrides
    (for every class, then for this class).
    """
    version, rules = in_force(session)
    merged = dict(rules["defaults"])
    merged.update(rules["classes"].get(asset_class, {}))
    overrides = session.scalars(
        select(RuleOverride)
        .where(RuleOverride.institution_id == institution_id, RuleOverride.asset_class.in_(["", asset_class]))
        .order_by(RuleOverride.asset_class)
    )
    for o in overrides:
        merged[o.key] = o.value
    return version, merged


def _check_rule_set(rules: dict[str, Any]) -> None:
    problems: dict[str, str] = {}
    sections = [("默认规则", rules.get("defaults", {}))]
    sections += [(f"类别 {c}", r) for c, r in rules.get("classes", {}).items()]
    for where, section in sections:
        for key, value in section.items():
            kind = book.RULE_KEYS.get(key)
            if kind is None:
                problems[f"{where}·{key}"] = "未知的规则项"
            elif not isinstance(value, kind) or isinstance(value, bool):
                problems[f"{where}·{RULE_LABELS[key]}"] = "类型不正确"
            elif key in book.CHOICES and value not in book.CHOICES[key]:
                problems[f"{where}·{RULE_LABELS[key]}"] = "取值不在允许范围内"
    unknown = set(rules.get("classes", {})) - set(book.load().classes)
    if unknown:
        problems["资产类别"] = f"未知的类别：{'、'.join(sorted(unknown))}"
    if problems:
        raise ValidationFailed("规则修订有误。", code="exchange.alliance.rules_invalid", details=problems)


def propose(
    session: Session, *, actor: Actor, version: str, effective_from: date, changes: dict[str, Any], note: str
) -> RuleVersion:
    """A proposed version: the rules in force with ``changes`` applied, and its Chinese diff."""
    require(actor, perm.RULES_PROPOSE)
    if session.scalar(select(RuleVersion.id).where(RuleVersion.version == version)) or (
        version == book.load().version
    ):
        raise Conflict(f"版本号 {version} 已存在。", code="exchange.alliance.version_exists")
    _, current = in_force(session, effective_from)
    new = {
        "defaults": dict(current["defaults"]),
        "classes": {c: dict(r) for c, r in current["classes"].items()},
    }
    new["defaults"].update(changes.get("defaults", {}))
    for code, rules in changes.get("classes", {}).items():
        new["classes"].setdefault(code, {}).update(rules)
    _check_rule_set(new)
    labels = {c: a.label for c, a in book.load().classes.items()}
    lines = diff(current, new, labels)
    if not lines:
        raise ValidationFailed("修订与现行规则相同。", code="exchange.alliance.no_change")
    row = RuleVersion(
        version=version,
        effective_from=effective_from,
        rules=new,
        diff=lines,
        note=note,
        proposed_by=actor.label,
        proposed_by_id=actor.id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.alliance.rules.propose",
        entity_type=ENTITY,
        entity_id=version,
        after={"版本": version, "生效日期": effective_from.isoformat(), "修订": lines},
    )
    return row


def review(session: Session, *, actor: Actor, version: str, approve: bool, note: str) -> RuleVersion:
    """Approve or reject a proposed version; the proposer may not review their own."""
    require(actor, perm.RULES_REVIEW)
    row = session.scalar(select(RuleVersion).where(RuleVersion.version == version).with_for_update())
    if row is None:
        raise NotFound("未找到该规则版本。", code="exchange.alliance.version_not_found")
    if row.status != "proposed":
        raise Conflict("该版本已审核。", code="exchange.alliance.already_reviewed")
    if actor.id is not None and actor.id == row.proposed_by_id:
        raise Conflict("提出修订者不得审核自己的修订。", code="exchange.alliance.self_review")
    row.status = "approved" if approve else "rejected"
    row.reviewed_by, row.reviewed_at, row.review_note = actor.label, utcnow(), note
    audit.record(
        session,
        actor=actor,
        action="exchange.alliance.rules.review",
        entity_type=ENTITY,
        entity_id=version,
        before={"状态": "待审核"},
        after={"状态": "已批准" if approve else "已驳回", "意见": note},
        reason=note,
    )
    return row


def versions(session: Session) -> list[RuleVersion]:
    return list(
        session.scalars(
            select(RuleVersion).order_by(RuleVersion.effective_from.desc(), RuleVersion.id.desc())
        )
    )


def set_override(
    session: Session, *, actor: Actor, institution_code: str, asset_class: str, key: str, value: Any
) -> RuleOverride:
    """Set one of an institution's overrides, within the charter's keys and bounds."""
    require(actor, perm.OVERRIDE)
    inst = parties.acting_institution(session, actor, institution_code)
    if asset_class and asset_class not in book.load().classes:
        raise ValidationFailed("未知的资产类别。", code="exchange.alliance.unknown_class")
    charter = terms.load()
    try:
        terms.check_override(charter, key, value)
    except terms.CharterError as exc:
        code = "override_not_allowed" if key not in charter.bounds else "override_out_of_bounds"
        raise ValidationFailed(str(exc), code=f"exchange.alliance.{code}") from exc
    row = session.scalar(
        select(RuleOverride).where(
            RuleOverride.institution_id == inst.id,
            RuleOverride.asset_class == asset_class,
            RuleOverride.key == key,
        )
    )
    before = {RULE_LABELS[key]: row.value} if row else None
    if row is None:
        row = RuleOverride(
            institution_id=inst.id, asset_class=asset_class, key=key, value=value, set_by=actor.label
        )
        session.add(row)
    row.value, row.set_by, row.set_at = value, actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.alliance.override",
        entity_type="exchange.institution",
        entity_id=inst.code,
        before=before,
        after={RULE_LABELS[key]: value, "适用类别": asset_class or "全部"},
    )
    return row


def overrides_of(session: Session, institution: Institution) -> list[RuleOverride]:
    return list(session.scalars(select(RuleOverride).where(RuleOverride.institution_id == institution.id)))


def profile_of(session: Session, institution: Institution) -> InstitutionProfile:
    row = session.scalar(
        select(InstitutionProfile).where(InstitutionProfile.institution_id == institution.id)
    )
    return row or InstitutionProfile(
        institution_id=institution.id,
        portal_title=institution.name,
        brand_color="#1f4e79",
        bank_name="",
        bank_account="",
        contact="",
        intro="",
    )


def update_profile(
    session: Session, *, actor: Actor, institution_code: str, data: dict[str, str]
) -> InstitutionProfile:
    """Change an institution's portal branding (title, colour, contact, intro) or settlement account
    (own institution only)."""
    require(actor, perm.PROFILE)
    inst = parties.acting_institution(session, actor, institution_code)
    row = session.scalar(select(InstitutionProfile).where(InstitutionProfile.institution_id == inst.id))
    if row is None:
        row = InstitutionProfile(institution_id=inst.id, portal_title=inst.name)
        session.add(row)
    for key in ("portal_title", "brand_color", "bank_name", "bank_account", "contact", "intro"):
        if key in data:
            setattr(row, key, data[key])
    row.updated_by, row.updated_at = actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.alliance.profile",
        entity_type="exchange.institution",
        entity_id=inst.code,
        after={
            "门户名称": row.portal_title,
            "主题色": row.brand_color,
            "结算银行": row.bank_name,
            "结算账号": row.bank_account,
            "联系方式": row.contact,
            "机构简介": row.intro,
        },
    )
    return row


def may_edit_profile(session: Session, actor: Actor | None, institution: Institution) -> bool:
    """True for the secretariat, or an operator of this institution (who may change its branding)."""
    if actor is None or not can(actor, perm.PROFILE):
        return False
    return actor.role == Role.admin or actor.org_uscc == institution.uscc
