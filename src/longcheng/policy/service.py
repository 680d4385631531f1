"""Behaviour of the policy module: the library, the calculator and 政策一键查.

Packs are loaded once per process (they are checked, immutable and shared). Every function
takes the session first (where it needs one) and the acting user as ``actor``; permissions are
asked of :func:`longcheng.core.auth.require`; nothing commits. Batch runs, notifications,
免申即享 decisions and input imports live in the sub-domains' services: ``runs.service``,
``inbox.service``, ``awards.service`` and ``inputs.service``. Where a clause's inputs come from
is ``inputs.service.sources``; the evaluation itself is the pure ``engine``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import can, require
from longcheng.core.clock import local_today
from longcheng.core.errors import PermissionDenied
from longcheng.core.hooks import ProfileRow, ProfileSection
from longcheng.policy import permissions as perm
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.batch import reason_text
from longcheng.policy.engine.compiler import VarSpec
from longcheng.policy.engine.errors import EvaluationError, InputError
from longcheng.policy.engine.explain import explain
from longcheng.policy.engine.guide import guide
from longcheng.policy.engine.inputs import Inputs, build_inputs
from longcheng.policy.engine.loader import DEFAULT_PACK, PACKS_DIR, load_pack, pack_dir
from longcheng.policy.engine.pack import Clause, Pack
from longcheng.policy.engine.periods import Period, PeriodKind, parse_period
from longcheng.policy.inputs.service.sources import clause_sources, load_population
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import OrgFilter

InputValues = Mapping[str, str | int | bool | Decimal]


def available_packs() -> list[str]:
    """The ids of the packs shipped with Longcheng."""
    return sorted(p.name for p in PACKS_DIR.iterdir() if (p / "pack.yaml").is_file())


@lru_cache(maxsize=8)
def _load(pack_id: str) -> Pack:
    return load_pack(pack_dir(pack_id))


def get_pack(pack_id: str | None = None) -> Pack:
    """A shipped pack by id (default: the example pack), loaded and checked once per process."""
    wanted = pack_id or DEFAULT_PACK
    if wanted not in available_packs():
        raise InputError(
            "policy.unknown_pack", f"没有政策包“{wanted}”（现有：{'、'.join(available_packs())}）"
        )
    return _load(wanted)


def default_year(pack: Pack) -> int:
    """This year, or the last year of the policy when it has ended (a 2021–2025 policy: 2025)."""
    year = local_today().year
    if pack.effective_to is not None:
        year = min(year, pack.effective_to.year)
    return max(year, pack.effective_from.year)


def check_period(pack: Pack, period: Period) -> Period:
    """Refuse a period outside the policy's validity, with the years it covers."""
    last = pack.effective_to.year if pack.effective_to else None
    if period.year < pack.effective_from.year or (last is not None and period.year > last):
        span = f"{pack.effective_from.year}–{last if last is not None else '长期'}"
        raise InputError(
            "policy.period_out_of_range", f"期间 {period} 不在该政策的执行期内（{span} 年），无法计算"
        )
    return period


def year_period(pack: Pack, year: int | str | None) -> Period:
    """The yearly period asked for (default :func:`default_year`), checked against the pack."""
    period = Period(default_year(pack)) if year in (None, "") else parse_period(str(year))
    if period.kind is not PeriodKind.YEAR:
        raise InputError("policy.bad_period", f"此处应填写年度（如 {default_year(pack)}），而不是月份")
    return check_period(pack, period)


# -- the library ------------------------------------------------------------------------------
def clause_inputs(pack: Pack, clause: Clause) -> list[VarSpec]:
    """The variables a clause reads directly, in the pack's order: the calculator's fields."""
    parts = [clause.amount, *(c.test for c in clause.conditions)]
    parts += [p for e in clause.exceptions for p in (e.when, e.amount)]
    names = {name for part in parts for kind, name in part.deps if kind == "var"}
    return [spec for name, spec in pack.variables.items() if name in names]


def clause_json(pack: Pack, clause: Clause) -> dict[str, Any]:
    """A clause's metadata as the API and the library page show it."""
    return {
        "id": clause.id,
        "title": clause.title,
        "article": clause.article,
        "reference": clause.reference,
        "entity": clause.entity,
        "entity_label": pack.entities[clause.entity].label,
        "period": clause.period.value,
        "channel": clause.guide.channel,
        "default_reading": clause.default_reading,
        "readings": [
            {"id": r.id, "label": r.label, "confirmed": r.confirmed, "note": r.note} for r in clause.readings
        ],
        "inputs": [
            {
                "name": s.name,
                "label": s.label,
                "type": s.type.kind.value,
                "values": dict(zip(s.values, s.value_labels, strict=True)),
            }
            for s in clause_inputs(pack, clause)
        ],
        "sources": clause_sources(pack, clause.id)
        if clause.entity == "enterprise"
        else ["外部文件（直兑平台等）"],
    }


def pack_json(pack: Pack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "title": pack.title,
        "document_number": pack.document_number,
        "issuer": pack.issuer,
        "effective_from": pack.effective_from.isoformat(),
        "effective_to": pack.effective_to.isoformat() if pack.effective_to else None,
        "illustrative": pack.illustrative,
        "note": pack.note,
    }


def list_clauses(*, actor: Actor, pack_id: str | None = None) -> dict[str, Any]:
    """The policy document and its clauses."""
    require(actor, perm.LIBRARY_READ)
    pack = get_pack(pack_id)
    return {"pack": pack_json(pack), "clauses": [clause_json(pack, c) for c in pack.clauses.values()]}


def clause_guide(
    *, actor: Actor, clause_id: str, period: Period, pack_id: str | None = None
) -> dict[str, Any]:
    """The 申兑指南 of one clause for one period."""
    require(actor, perm.LIBRARY_READ)
    pack = get_pack(pack_id)
    return guide(pack, clause_id, check_period(pack, period))


def evaluate(
    *,
    actor: Actor,
    clause_id: str,
    period: Period,
    inputs: InputValues,
    reading: str | None = None,
    pack_id: str | None = None,
) -> dict[str, Any]:
    """The calculator: one clause on typed inputs (amounts in yuan), fully explained."""
    require(actor, perm.LIBRARY_READ)
    pack = get_pack(pack_id)
    clause = pack.clause(clause_id)
    if period.kind is not clause.period:
        unit = "月份（如 2025-03）" if clause.period is PeriodKind.MONTH else "年度（如 2025）"
        raise InputError("policy.bad_period", f"条款“{clause.title}”按{unit}计算")
    values = {k: v for k, v in inputs.items() if not (isinstance(v, str) and not v.strip())}
    return explain(pack, clause_id, values, check_period(pack, period), reading=reading or None)


# -- 政策一键查 --------------------------------------------------------------------------------
def lookup(
    session: Session, *, actor: Actor, uscc: str, year: int | str | None = None, pack_id: str | None = None
) -> dict[str, Any]:
    """Every yearly enterprise clause for one firm, from registry data and policy inputs.

    The clauses it qualifies for come first with their full explanation; the others with the
    reason. Enterprise users may ask only for their own firm (403 otherwise).
    """
    org = registry_service.get_by_uscc(session, actor=actor, uscc=uscc)
    require(actor, perm.LOOKUP, org)
    pack = get_pack(pack_id)
    period = year_period(pack, year)
    answer: dict[str, Any] = {
        "uscc": org.uscc,
        "name": org.name,
        "district": org.district,
        "year": str(period),
        "pack": pack_json(pack),
        "qualifying": [],
        "not_qualifying": [],
        "total": "0.00",
        "total_fen": 0,
    }
    population = load_population(session, actor=actor, pack=pack, year=period.year, usccs=[org.uscc])
    if not len(population):
        answer["note"] = "该机构不是企业，不适用本政策的企业条款。"
        return answer
    inputs = build_inputs(pack, population.columns, period)
    for clause in pack.clauses_for("enterprise", PeriodKind.YEAR):
        _lookup_clause(pack, clause, inputs, period, answer)
    answer["total_fen"] = sum(item["amount_fen"] for item in answer["qualifying"])
    answer["total"] = fen_to_yuan(answer["total_fen"])
    return answer


def find_orgs(session: Session, *, actor: Actor, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Firms for 政策一键查 by part of their name (or former name) or by their USCC, as the
    registry's name search finds them for ``actor`` (a district officer: the district's firms)."""
    require(actor, perm.LOOKUP)
    text = q.strip()
    if not text:
        return []
    page = registry_service.list_orgs(session, actor=actor, filters=OrgFilter(q=text), page_size=limit)
    return [{"uscc": o.uscc, "name": o.name, "district": o.district} for o in page.items]


def profile_section(session: Session, actor: Actor, uscc: str) -> ProfileSection | None:
    """This year's 政策一键查 answer as a section of the firm's file (一企一档); None when the
    actor may not look the firm up (an enterprise user asking about another firm)."""
    if not can(actor, perm.LOOKUP):
        return None
    try:
        answer = lookup(session, actor=actor, uscc=uscc)
    except PermissionDenied:
        return None
    rows = tuple(
        ProfileRow((item["title"], fen_to_yuan(item["amount_fen"]) + " 元")) for item in answer["qualifying"]
    )
    return ProfileSection(
        title=f"政策兑现（{answer['year']}年度测算）",
        columns=("符合条件的政策条款", "测算金额"),
        rows=rows,
        link=f"/policy/orgs/{answer['uscc']}",
        link_label="查看测算依据",
        empty=answer.get("note") or "按现有数据，暂未符合本年度企业条款。",
        total=len(rows),
    )


def _lookup_clause(
    pack: Pack, clause: Clause, inputs: Inputs, period: Period, answer: dict[str, Any]
) -> None:
    sources = clause_sources(pack, clause.id)
    try:
        data = explain(pack, clause.id, inputs, period)
    except EvaluationError as exc:
        answer["not_qualifying"].append(
            {
                "clause": clause.id,
                "title": clause.title,
                "reason_code": exc.code_text,
                "reason": exc.message_text,
                "sources": sources,
            }
        )
        return
    data["channel"] = clause.guide.channel
    data["deadline"] = clause.guide.deadline
    data["sources"] = sources
    if data["qualifies"]:
        answer["qualifying"].append(data)
        return
    answer["not_qualifying"].append(
        {
            "clause": clause.id,
            "title": clause.title,
            "reason_code": data["reason"],
            "reason": reason_text(pack, clause.id, data["reason"]),
            "conditions": data["conditions"],
            "sources": sources,
        }
    )
