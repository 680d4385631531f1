"""The pure expert engine: taxonomy synonyms, seeded stratified draws, COI reasons, rubric maths."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from longcheng.experts.engine import assign, coi, rubric, taxonomy


def test_taxonomy_resolves_labels_and_synonyms() -> None:
    """A label, a code or a synonym all name the same field; unknown text names none."""
    tax = taxonomy.default()
    assert tax.resolve("芯片") == tax.resolve("集成电路") == tax.resolve(" ic ") == "ic"
    assert tax.resolve("占星术") is None


def _pool() -> list[assign.Candidate]:
    return [assign.Candidate(i, frozenset({"ai" if i <= 6 else "ic"})) for i in range(1, 13)]


def test_draw_is_stratified_seeded_and_excludes() -> None:
    """Same seed, same draw; experts of the item's field first; excluded experts never drawn."""
    items = [assign.Item(f"A{n}", "ai", frozenset({1, 2})) for n in range(3)]
    first = assign.draw(items, _pool(), per_item=3, seed=42)
    again = assign.draw(items, _pool(), per_item=3, seed=42)
    assert first.picks == again.picks
    assert all(p.in_field and p.expert_id not in {1, 2} for p in first.picks)
    assert not first.short


def test_draw_fills_from_other_fields_and_records_shortage() -> None:
    """A short stratum is filled from other fields; a short pool leaves the item short."""
    filled = assign.draw([assign.Item("X", "ai")], _pool(), per_item=8, seed=1)
    assert sum(p.in_field for p in filled.picks) == 6
    assert len(filled.picks) == 8
    short = assign.draw([assign.Item("Y", "ai")], _pool()[:3], per_item=5, seed=1)
    assert short.short == {"Y": 2}


def test_draw_balances_load() -> None:
    """Across many items nobody gets far more than their share."""
    items = [assign.Item(f"I{n}", "ai") for n in range(60)]
    result = assign.draw(items, _pool(), per_item=2, seed=7)
    loads: dict[int, int] = {}
    for p in result.picks:
        loads[p.expert_id] = loads.get(p.expert_id, 0) + 1
    assert max(loads.values()) - min(loads.values()) <= 1


def test_coi_reasons() -> None:
    """Employer, a former employer within 3 years, the expert's own role: each a reason."""
    firm = "91320400MA1XXXXX01"
    ties = coi.ExpertTies(
        1, employer_uscc=firm, former=((firm, date(2024, 1, 1)),), roles=((firm, "legal_rep"),)
    )
    codes = [r.code for r in coi.reasons(ties, firm, today=date(2026, 6, 1))]
    assert codes == ["employer", "former_employer", "role_legal_rep"]
    old = coi.ExpertTies(2, former=((firm, date(2022, 5, 31)),))
    assert coi.reasons(old, firm, today=date(2026, 6, 1)) == []
    assert coi.reasons(coi.ExpertTies(3, former=((firm, None),)), firm, today=date(2026, 6, 1))


def test_rubric_checks_range_and_aggregates() -> None:
    """Scores out of range are named; with five totals the highest and lowest are dropped."""
    rub = rubric.rubrics()["standard"]
    problems = rubric.check(rub, {"innovation": 31, "feasibility": 20, "benefit": 20})
    assert {p.criterion for p in problems} == {"innovation", "team"}
    assert rubric.total(rub, {"innovation": 30, "feasibility": 25, "benefit": 25, "team": 20}) == 100
    agg = rubric.aggregate([90, 10, 80, 70, 60])
    assert agg.dropped == (10, 90)
    assert agg.mean == Decimal("70.00")
    assert rubric.aggregate([90, 10]).mean == Decimal("50.00")
