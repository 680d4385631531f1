"""Applying what an officer typed to a project: investors, people, lists, money, warnings.

Investors are linked through :func:`longcheng.registry.service.get_many_by_uscc` (never the
registry's tables); accounts of the leader and task force through ``core.users``. An amount in a
foreign currency is kept as stated and converted to CNY at the latest rate on or before the
signing date (or today), and the rate and its date are stored with the project.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit, users
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.core.errors import PermissionDenied, ValidationFailed
from longcheng.projects import permissions as perm
from longcheng.projects.models import FxRate, Project, ProjectInvestor, ProjectListEntry, ProjectPerson
from longcheng.projects.schemas import PersonIn, ProjectFields, parse_money, plausibility_warnings
from longcheng.registry import service as registry_service

MICRO = 1_000_000


@cache
def default_rates() -> tuple[tuple[str, date, int, str], ...]:
    """(currency, from date, CNY per unit × 10⁶, source) from ``data/fx_rates.yaml``."""
    text = resources.files("longcheng.projects.data").joinpath("fx_rates.yaml").read_text("utf-8")
    rows = yaml.safe_load(text)["rates"]
    return tuple((r["currency"], r["since"], int(Decimal(str(r["cny"])) * MICRO), r["source"]) for r in rows)


def rate_for(session: Session, currency: str, on: date) -> tuple[int, date]:
    """CNY per unit × 10⁶ and the date it applies from: the latest stored rate on or before ``on``."""
    row = session.execute(
        select(FxRate.cny_micro, FxRate.on_date)
        .where(FxRate.currency == currency, FxRate.on_date <= on)
        .order_by(FxRate.on_date.desc())
        .limit(1)
    ).first()
    if row is not None:
        return int(row[0]), row[1]
    fallback = [(d, micro) for cur, d, micro, _ in default_rates() if cur == currency and d <= on]
    if not fallback:
        raise ValidationFailed(
            f"没有{on.isoformat()}前{currency}对人民币的汇率，请先在“汇率”页面维护。",
            code="projects.fx_missing",
            details={"currency": currency},
        )
    when, micro = max(fallback)
    return micro, when


def to_cny(stated: int, micro: int) -> int:
    """Minor units of a foreign currency to fen, rounded half up, integers only."""
    return (stated * micro + MICRO // 2) // MICRO


def _money(text: str | None, currency: str, field: str, errors: dict[str, str]) -> tuple[int | None, str]:
    if text is None:
        return None, currency
    try:
        return parse_money(text, currency)
    except ValueError as exc:
        errors[field] = str(exc)
        return None, currency


def apply_amounts(session: Session, project: Project, data: ProjectFields) -> None:
    """Set stated amounts, the rate used and the CNY equivalents; refuse mixed currencies."""
    errors: dict[str, str] = {}
    agreed, cur_a = _money(data.agreed_investment, data.currency, "agreed_investment", errors)
    total, cur_t = _money(data.total_investment, data.currency, "total_investment", errors)
    output, cur_o = _money(data.expected_output, "CNY", "expected_output", errors)
    tax, cur_x = _money(data.expected_tax, "CNY", "expected_tax", errors)
    currencies = {c for c, v in ((cur_a, agreed), (cur_t, total)) if v is not None} or {data.currency}
    if len(currencies) > 1:
        errors["total_investment"] = "协议投资与总投资的币种不一致，请统一币种。"
    if cur_o != "CNY" or cur_x != "CNY":
        errors["expected_output"] = "预计产值、税收请以人民币填写。"
    if errors:
        raise ValidationFailed(
            "金额有误：" + "；".join(errors.values()), code="projects.invalid", details=errors
        )
    currency = currencies.pop()
    project.currency, project.stated_agreed, project.stated_total = currency, agreed, total
    if currency == "CNY":
        project.fx_rate_micro = project.fx_rate_on = None
        micro = MICRO
    else:
        micro, project.fx_rate_on = rate_for(session, currency, data.signed_on or local_today())
        project.fx_rate_micro = micro
    project.agreed_investment_fen = to_cny(agreed or 0, micro)
    project.total_investment_fen = to_cny(total or 0, micro)
    project.expected_output_fen, project.expected_tax_fen = output, tax


def apply_investors(session: Session, *, actor: Actor, project: Project, data: ProjectFields) -> None:
    """Investors by USCC must be registered (their registered name is used); others go by name."""
    orgs = registry_service.get_many_by_uscc(
        session, actor=actor, usccs=[i.uscc for i in data.investors if i.uscc]
    )
    missing = [i.uscc for i in data.investors if i.uscc and i.uscc not in orgs]
    if missing:
        raise ValidationFailed(
            f"统一社会信用代码 {'、'.join(c for c in missing if c)} 未在一企一档中登记；"
            "请先登记该机构，或只填写投资方名称。",
            code="projects.investor_unknown",
            details={"investors": "、".join(c for c in missing if c)},
        )
    project.investors = [
        ProjectInvestor(position=n, uscc=i.uscc, name=orgs[i.uscc].name if i.uscc else (i.name or ""))
        for n, i in enumerate(data.investors)
    ]
    project.investor_names = "；".join(i.name for i in project.investors)


def _user_id(session: Session, username: str | None, field: str) -> int | None:
    if not username:
        return None
    user = users.get_by_username(session, username)
    if user is None or not user.is_active:
        raise ValidationFailed(
            f"用户“{username}”不存在或已停用。",
            code="projects.user_unknown",
            details={field: f"用户“{username}”不存在"},
        )
    return user.id


def _people(session: Session, kind: str, people: list[PersonIn]) -> list[ProjectPerson]:
    return [
        ProjectPerson(
            kind=kind, name=p.name, title=p.title, phone=p.phone, user_id=_user_id(session, p.username, kind)
        )
        for p in people
    ]


# Fields a project form sends and the record stores as they are (no unit or currency conversion).
PLAIN_FIELDS = (
    "name",
    "project_type",
    "summary",
    "district",
    "park",
    "industry",
    "cooperation",
    "partner_region",
    "floor_area_m2",
    "expected_jobs",
    "leader_name",
    "responsible_unit",
)


def apply_fields(session: Session, *, actor: Actor, project: Project, data: ProjectFields) -> None:
    """Copy every editable field of ``data`` onto ``project`` (stage and stage dates excluded)."""
    for name in PLAIN_FIELDS:
        setattr(project, name, getattr(data, name))
    project.land_centi_mu = int(data.land_mu * 100) if data.land_mu is not None else None
    project.leader_user_id = _user_id(session, data.leader_username, "leader_username")
    apply_amounts(session, project, data)
    apply_investors(session, actor=actor, project=project, data=data)
    project.people = _people(session, "task_force", data.task_force) + _people(
        session, "contact", data.contacts
    )
    wanted = list(dict.fromkeys(data.lists))
    kept = [e for e in project.lists if e.list_name in wanted]
    have = {e.list_name for e in kept}
    project.lists = kept + [ProjectListEntry(list_name=n) for n in wanted if n not in have]
    project.search_text = "\n".join([project.code, project.name, project.investor_names, project.leader_name])
    project.warnings = "\n".join(
        plausibility_warnings(
            total_fen=project.total_investment_fen,
            agreed_fen=project.agreed_investment_fen,
            land_centi_mu=project.land_centi_mu,
            expected_output_fen=project.expected_output_fen,
            expected_jobs=project.expected_jobs,
        )
    )


def list_fx_rates(session: Session) -> list[FxRate]:
    return list(session.scalars(select(FxRate).order_by(FxRate.currency, FxRate.on_date.desc())))


def set_fx_rate(
    session: Session, *, actor: Actor, currency: str, on: date, cny_per_unit: Decimal, source: str
) -> FxRate:
    """Record CNY per unit of ``currency`` from ``on`` (e.g. the day's central parity); audited.

    Projects already saved keep the rate they were converted at; the new rate applies to
    projects saved from now on whose conversion date is on or after ``on``.
    """
    if not perm.can_edit_thresholds(actor):
        raise PermissionDenied("只有管理员和市级工作人员可以维护汇率。", code="projects.fx_forbidden")
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha() or code == "CNY":
        raise ValidationFailed(
            "币种应为人民币以外的三位字母代码，如 USD。",
            code="projects.fx_invalid",
            details={"currency": "如 USD、EUR"},
        )
    micro = cny_per_unit * MICRO
    if cny_per_unit <= 0 or cny_per_unit > 10_000 or micro != micro.to_integral_value():
        raise ValidationFailed(
            "汇率应为正数，最多保留六位小数。",
            code="projects.fx_invalid",
            details={"cny_per_unit": "应为正数，最多六位小数"},
        )
    row = session.scalar(select(FxRate).where(FxRate.currency == code, FxRate.on_date == on))
    before = {"cny_micro": row.cny_micro, "source": row.source} if row else None
    if row is None:
        row = FxRate(currency=code, on_date=on)
        session.add(row)
    row.cny_micro, row.source = int(micro), source.strip()[:200]
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.fx.set",
        entity_type="projects",
        entity_id=f"fx:{code}",
        before=before,
        after={"on": on, "cny_micro": row.cny_micro, "source": row.source},
    )
    return row


def _wan_text(value: int | None) -> str | None:
    return None if value is None else f"{(Decimal(value) / 1_000_000).normalize():f}"


def current_fields(session: Session, project: Project) -> dict[str, Any]:
    """The project's editable fields in the shape of ``ProjectFields`` input (amounts in 万 of the
    stated currency), so that an API update may send only what changes."""

    def username(user_id: int | None) -> str | None:
        user = session.get(users.User, user_id) if user_id is not None else None
        return user.username if user is not None else None

    fields: dict[str, Any] = {name: getattr(project, name) for name in (*PLAIN_FIELDS, "currency")}
    fields.update(
        lists=project.list_names,
        investors=[{"uscc": i.uscc, "name": i.name} for i in project.investors],
        agreed_investment=_wan_text(project.stated_agreed),
        total_investment=_wan_text(project.stated_total),
        expected_output=_wan_text(project.expected_output_fen),
        expected_tax=_wan_text(project.expected_tax_fen),
        land_mu=Decimal(project.land_centi_mu) / 100 if project.land_centi_mu is not None else None,
        leader_username=username(project.leader_user_id),
        task_force=[
            {"name": p.name, "title": p.title, "phone": p.phone, "username": username(p.user_id)}
            for p in project.people
            if p.kind == "task_force"
        ],
        contacts=[
            {"name": p.name, "title": p.title, "phone": p.phone}
            for p in project.people
            if p.kind == "contact"
        ],
        **{f"{s.value}_on": d for s, d in project.stage_dates.items()},
    )
    return fields
