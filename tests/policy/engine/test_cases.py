"""The officer-readable YAML cases shipped next to the example pack, each as its own test."""

from __future__ import annotations

import pytest

from longcheng.policy.engine.cases import Case, load_cases, run_case
from longcheng.policy.engine.loader import load_pack
from longcheng.policy.engine.pack import Pack

CASES = load_cases(load_pack())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.clause}:{c.loc.line}" for c in CASES])
def test_yaml_case(pack: Pack, case: Case) -> None:
    """Every YAML case gives exactly the expected result, to the fen."""
    result = run_case(pack, case)
    assert result.passed, "; ".join(result.problems)


def test_required_rd_figures_are_covered() -> None:
    """The issue's required R&D figures are all among the YAML cases."""
    amounts = {
        (c.reading or "literal", str(c.inputs["rd_growth"]), str(c.expected.get("amount")))
        for c in CASES
        if "rd_growth" in c.inputs
    }
    required = {
        ("literal", "199999", "0"),
        ("literal", "200000", "0"),
        ("literal", "2000000", "180000.00"),
        ("literal", "10000000", "820000.00"),
        ("literal", "123456789.87", "7158271.59"),
        ("literal", "300000000", "12220000.00"),
        ("entry_threshold", "200000", "20000.00"),
        ("entry_threshold", "123456789.87", "7178271.59"),
    }
    assert required <= amounts


def test_a_wrong_expectation_fails_with_a_readable_message(pack: Pack) -> None:
    """A case whose expected amount is off by one fen fails and says both amounts."""
    case = next(c for c in CASES if c.inputs.get("rd_growth") == 2000000 and c.reading is None)
    wrong = Case(
        case.name, case.clause, case.period, None, case.inputs, {"amount": "180000.01"}, None, case.loc
    )
    result = run_case(pack, wrong)
    assert not result.passed
    assert result.problems == ("金额：应为 180000.01 元，实际为 180000.00 元",)
