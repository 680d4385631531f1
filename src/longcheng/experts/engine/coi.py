"""Conflict of interest (利益冲突回避) from precomputed facts: why an expert may not review a firm.

The caller gathers the facts (the expert's employer and former employers, the firms where the
expert personally holds a role, how the expert's employer relates to the applicant); this
module only judges them, so it can run over thousands of pairs without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

FORMER_EMPLOYER_YEARS = 3
ROLE_LABELS = {"legal_rep": "法定代表人", "shareholder": "股东", "director": "董事", "supervisor": "监事"}


@dataclass(frozen=True)
class Reason:
    code: str
    label_zh: str


@dataclass(frozen=True)
class ExpertTies:
    """What ties an expert to firms: employer, former employers (USCC, end date), own roles."""

    expert_id: int
    employer_uscc: str | None = None
    former: tuple[tuple[str, date | None], ...] = ()
    roles: tuple[tuple[str, str], ...] = ()
    employer_relations: dict[str, tuple[str, ...]] = field(default_factory=dict)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def reasons(ties: ExpertTies, applicant_uscc: str, *, today: date) -> list[Reason]:
    """Every reason the expert must not review the applicant (empty when there is none)."""
    out: list[Reason] = []
    if ties.employer_uscc and ties.employer_uscc == applicant_uscc:
        out.append(Reason("employer", "专家现任职于申报单位"))
    cutoff = years_before(today, FORMER_EMPLOYER_YEARS)
    for uscc, ended in ties.former:
        if uscc == applicant_uscc and (ended is None or ended >= cutoff):
            when = ended.isoformat() if ended else "离职日期不详"
            out.append(
                Reason("former_employer", f"专家近{FORMER_EMPLOYER_YEARS}年内曾任职于申报单位（{when}）")
            )
    for uscc, role in ties.roles:
        if uscc == applicant_uscc:
            out.append(Reason(f"role_{role}", f"专家本人是申报单位的{ROLE_LABELS.get(role, role)}"))
    for label in ties.employer_relations.get(applicant_uscc, ()):
        out.append(Reason("related_employer", f"专家任职单位与申报单位存在关联：{label}"))
    return out


def excluded(pool: list[ExpertTies], applicant_uscc: str, *, today: date) -> set[int]:
    """The ids of the experts in ``pool`` with any conflict with the applicant."""
    return {t.expert_id for t in pool if reasons(t, applicant_uscc, today=today)}
