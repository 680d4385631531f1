"""Outcome indicators of funded firms and the programme report (yuan paid per outcome unit).

A funded firm is an application decided (下达) in the programme. Its indicators come from the
registry's dated facts through ``registry.service.facts_table``: before = the fiscal year before
the award's, after = the latest later year the registry holds (none yet: the indicator is left
blank and the firm is not counted for it). Paid = the award's payables the bank confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import visible_to
from longcheng.grants.ledger.service import programme_by_code
from longcheng.grants.payments.models import Payable
from longcheng.grants.programmes.models import Programme
from longcheng.registry import service as registry

# Indicator code → (registry fact kind, Chinese label, unit shown, divisor from the stored unit).
INDICATORS: dict[str, tuple[str, str, str, int]] = {
    "revenue": ("revenue", "营业收入", "万元", 1_000_000),
    "rd": ("rd_spending", "研发投入", "万元", 1_000_000),
    "tax": ("tax", "纳税额", "万元", 1_000_000),
    "jobs": ("employees", "从业人数", "人", 1),
}


@dataclass(frozen=True)
class Change:
    before: float | None
    after: float | None
    after_year: int | None

    @property
    def growth(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class FirmOutcome:
    number: str
    uscc: str
    name: str
    district: str | None
    award_year: int
    approved_fen: int
    paid_fen: int
    changes: dict[str, Change]


@dataclass(frozen=True)
class Efficiency:
    code: str
    label: str
    unit: str
    firms: int
    growth: float
    yuan_per_unit: float | None


@dataclass
class ProgrammeReport:
    code: str
    name: str
    year: int | None
    firms: int = 0
    approved_fen: int = 0
    paid_fen: int = 0
    rows: list[FirmOutcome] = field(default_factory=list)
    efficiency: list[Efficiency] = field(default_factory=list)


def _funded(
    session: Session, actor: Actor, programme_id: int, year: int | None
) -> list[tuple[Application, int]]:
    paid = (
        select(func.coalesce(func.sum(Payable.amount_fen), 0))
        .where(
            Payable.source_kind == "grants.application",
            Payable.source_ref == Application.number,
            Payable.state == "paid",
        )
        .scalar_subquery()
    )
    stmt = select(Application, paid).where(
        Application.programme_id == programme_id, Application.stage == "decided", visible_to(actor)
    )
    if year is not None:
        stmt = stmt.where(Application.fiscal_year == year)
    return [(a, int(p or 0)) for a, p in session.execute(stmt.order_by(Application.number))]


def _change(
    facts: dict[tuple[str, str, int], int], uscc: str, kind: str, base: int, last: int, div: int
) -> Change:
    before = facts.get((uscc, kind, base))
    after_year = next((y for y in range(last, base, -1) if (uscc, kind, y) in facts), None)
    after = facts[(uscc, kind, after_year)] if after_year is not None else None
    return Change(
        before / div if before is not None else None,
        after / div if after is not None else None,
        after_year,
    )


def firm_outcomes(
    session: Session, *, actor: Actor, funded: list[tuple[Application, int]]
) -> list[FirmOutcome]:
    """Each funded firm's indicators before and after its award."""
    if not funded:
        return []
    last = local_today().year
    first = min(a.fiscal_year for a, _ in funded) - 1
    facts = registry.facts_table(
        session,
        actor=actor,
        kinds=[spec[0] for spec in INDICATORS.values()],
        years=range(first, last + 1),
        usccs={a.applicant_uscc for a, _ in funded},
    )
    return [
        FirmOutcome(
            a.number,
            a.applicant_uscc,
            a.applicant_name,
            a.district,
            a.fiscal_year,
            a.approved_fen or 0,
            paid,
            {
                code: _change(facts, a.applicant_uscc, kind, a.fiscal_year - 1, last, div)
                for code, (kind, _, _, div) in INDICATORS.items()
            },
        )
        for a, paid in funded
    ]


def _efficiency(rows: list[FirmOutcome]) -> list[Efficiency]:
    out = []
    for code, (_, label, unit, _) in INDICATORS.items():
        counted = [r for r in rows if r.changes[code].growth is not None]
        growth = sum(r.changes[code].growth or 0.0 for r in counted)
        paid_yuan = sum(r.paid_fen for r in counted) / 100
        out.append(
            Efficiency(code, label, unit, len(counted), growth, paid_yuan / growth if growth > 0 else None)
        )
    return out


def programme_report(
    session: Session, *, actor: Actor, programme_code: str, year: int | None = None
) -> ProgrammeReport:
    """The programme's funded firms, their outcomes, and yuan paid per unit of each outcome
    (over the firms with both years reported; blank where the indicator did not grow)."""
    require(actor, perm.REPORT_READ)
    programme = programme_by_code(session, programme_code)
    funded = _funded(session, actor, programme.id, year)
    rows = firm_outcomes(session, actor=actor, funded=funded)
    return ProgrammeReport(
        programme.code,
        programme.name,
        year,
        firms=len({r.uscc for r in rows}),
        approved_fen=sum(r.approved_fen for r in rows),
        paid_fen=sum(r.paid_fen for r in rows),
        rows=rows,
        efficiency=_efficiency(rows),
    )


def programmes(session: Session, *, actor: Actor) -> list[tuple[str, str]]:
    """``(code, name)`` of every programme, for the report's chooser."""
    require(actor, perm.REPORT_READ)
    return [
        (c, n) for c, n in session.execute(select(Programme.code, Programme.name).order_by(Programme.code))
    ]
