"""The engine on one firm: exact amounts, inputs as people type them, exceptions, periods."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from tests.policy.conftest import Editor

from longcheng.policy.engine.amounts import parse_fen
from longcheng.policy.engine.errors import EvaluationError, InputError
from longcheng.policy.engine.evaluate import Evaluation
from longcheng.policy.engine.explain import explain, explanation_text
from longcheng.policy.engine.inputs import build_inputs, single_inputs
from longcheng.policy.engine.loader import load_pack
from longcheng.policy.engine.pack import Pack, Rounding, RoundingMode
from longcheng.policy.engine.periods import Period, parse_period

RD = "innovation.rd_growth_reward"
Y2025 = Period(2025)


def _exact_literal(growth: Decimal) -> Decimal:
    """The R&D reward computed independently with Decimal, bracket by bracket."""
    bands = [
        (200_000, 2_000_000, 10),
        (2_000_000, 10_000_000, 8),
        (10_000_000, 100_000_000, 6),
        (100_000_000, 200_000_000, 4),
        (200_000_000, None, 2),
    ]
    if growth < 200_000:
        return Decimal(0)
    total = sum(
        (
            max(Decimal(0), min(growth, Decimal(top) if top else growth) - low) * rate / 100
            for low, top, rate in bands
        ),
        Decimal(0),
    )
    return total.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("123456789.87", 12_345_678_987),
        ("12,345", 1_234_500),
        ("一亿", 10_000_000_000),
        ("1,234.5万", 1_234_500_000),
        ("20万元", 20_000_000),
        ("-5", -500),
    ],
)
def test_accepted_amount_forms(text: str, fen: int) -> None:
    """Plain decimals, grouped thousands, 万/亿 and Chinese numerals are exact amounts."""
    assert parse_fen(text) == fen


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("1.2e8", "policy.amount_scientific"),
        ("1,23", "policy.amount_ambiguous_comma"),
        ("12,3456", "policy.amount_ambiguous_comma"),
        ("0.001", "policy.amount_sub_fen"),
        ("abc", "policy.amount_unreadable"),
    ],
)
def test_refused_amount_forms(text: str, code: str) -> None:
    """Scientific notation, misplaced commas and fractions of a fen are refused with a reason."""
    with pytest.raises(InputError) as info:
        parse_fen(text)
    assert info.value.code_text == code
    assert text in info.value.message_text


def test_random_growths_match_an_independent_decimal_computation(pack: Pack) -> None:
    """On 2,000 random growths the engine equals a Decimal computation to the fen, in one batch."""
    rng = np.random.default_rng(7)
    fen = np.round(rng.lognormal(np.log(60_000_000), 2.0, 2000)).astype(np.int64)
    inputs = build_inputs(pack, {"rd_growth": fen, "enterprise_type": np.array(["high_tech"] * 2000)}, Y2025)
    outcome = Evaluation(pack, inputs, Y2025).clause(RD)
    expected = [_exact_literal(Decimal(int(f)) / 100) for f in fen]
    assert [Decimal(int(a)) / 100 for a in outcome.amount_fen] == expected


def test_formula_reads_last_year(pack: Pack) -> None:
    """rd_growth is computed from this year's and last year's R&D spending."""
    inputs = single_inputs(
        pack, {"enterprise_type": "high_tech", "rd_spending": "5200000", "rd_spending@2024": "3200000"}, Y2025
    )
    outcome = Evaluation(pack, inputs, Y2025).clause(RD)
    assert int(outcome.amount_fen[0]) == 18_000_000


def test_missing_last_year_is_a_clear_error(pack: Pack) -> None:
    """Without last year's spending the engine names the missing input and period."""
    inputs = single_inputs(pack, {"enterprise_type": "high_tech", "rd_spending": "5200000"}, Y2025)
    with pytest.raises(EvaluationError) as info:
        Evaluation(pack, inputs, Y2025).clause(RD)
    assert info.value.code_text == "policy.missing_input"
    assert "rd_spending" in info.value.message_text
    assert "2024" in info.value.message_text


def test_year_outside_parameter_dates(pack: Pack) -> None:
    """Evaluating 2020 (before the policy) names the parameter and its validity."""
    inputs = single_inputs(pack, {"enterprise_type": "high_tech", "rd_growth": "2000000"}, Period(2020))
    with pytest.raises(EvaluationError) as info:
        Evaluation(pack, inputs, Period(2020)).clause(RD)
    assert info.value.code_text == "policy.param_no_value"
    assert "2020-01-01" in info.value.message_text
    assert "2021-01-01 至 2025-12-31" in info.value.message_text


def test_unknown_input_and_bad_enum_are_refused(pack: Pack) -> None:
    """A name the pack does not know, or an enum value it does not declare, is refused."""
    with pytest.raises(InputError, match="rd_grow"):
        single_inputs(pack, {"rd_grow": "1"}, Y2025)
    with pytest.raises(InputError) as info:
        single_inputs(pack, {"enterprise_type": "gazelle"}, Y2025)
    assert info.value.code_text == "policy.enum_value"


def test_float_money_column_is_refused(pack: Pack) -> None:
    """A float array for money is refused: floats are how fen get lost."""
    with pytest.raises(InputError) as info:
        build_inputs(
            pack, {"rd_growth": np.array([123456789.87]), "enterprise_type": np.array(["high_tech"])}, Y2025
        )
    assert info.value.code_text == "policy.float_money"


def test_missing_values_give_a_reason_not_zero(pack: Pack) -> None:
    """A firm whose growth is unknown does not qualify, with the reason missing_input."""
    growth = np.ma.MaskedArray([300_000_000, 0], mask=[False, True])
    inputs = build_inputs(
        pack, {"rd_growth": growth, "enterprise_type": np.array(["high_tech", "high_tech"])}, Y2025
    )
    outcome = Evaluation(pack, inputs, Y2025).clause(RD)
    assert outcome.qualifies.tolist() == [True, False]
    assert [outcome.reason_codes[r] for r in outcome.reason] == ["ok", "missing_input"]


def test_periods_parse_and_shift() -> None:
    """Periods are years or months; offsets move by the period's own unit."""
    assert parse_period("2025-01").offset(-1) == Period(2024, 12)
    assert parse_period(2025).offset(-1) == Period(2024)
    with pytest.raises(InputError):
        parse_period("2025-13")


def test_explanation_shows_brackets_parameters_and_readings(pack: Pack) -> None:
    """The R&D explanation has each bracket, the dated parameters and the other reading's amount."""
    data = explain(pack, RD, {"rd_growth": "12345678.90", "enterprise_type": "high_tech"}, Y2025)
    assert data["amount"] == "960740.73"
    assert data["amount_exact"] == "960740.734"
    assert data["brackets"][2] == {
        "from": "10000000.00",
        "to": "100000000.00",
        "slice": "2345678.90",
        "rate": "6%",
        "rate_bp": 600,
        "amount": "140740.734",
    }
    assert [c["met"] for c in data["conditions"]] == [True, True]
    assert data["reading"]["confirmed"] is False
    assert data["other_readings"][0]["amount"] == "980740.73"
    threshold = next(p for p in data["parameters"] if p["id"] == "innovation.rd_reward.min_growth")
    assert threshold["value"] == "200000.00"
    assert threshold["from"] == "2021-01-01"
    assert "示例" in threshold["reference"]
    text = explanation_text(data)
    assert "960,740.73 元" in text
    assert "尚未经政策制定部门确认" in text
    assert "980,740.73 元" in text


def test_explanation_of_a_failed_condition(pack: Pack) -> None:
    """A firm of another type sees which condition failed and the value read."""
    data = explain(pack, RD, {"rd_growth": "5000000", "enterprise_type": "other"}, Y2025)
    assert data["qualifies"] is False
    assert data["amount"] == "0.00"
    assert data["conditions"][0]["met"] is False
    assert data["conditions"][0]["values"][0]["display"] == "其他企业"
    assert "✘ 不满足" in explanation_text(data)


def test_explanation_names_the_exception_applied(pack: Pack) -> None:
    """An exception that applies replaces the general rule and is named in the explanation."""
    data = explain(
        pack,
        "innovation.grant_matching",
        {"national_grant": "3000000", "provincial_grant": "800000", "grants_same_project": "是"},
        Y2025,
    )
    assert data["rule_applied"] == "same_project_higher"
    assert data["amount"] == "3000000.00"
    assert data["exceptions"][0]["applied"] is True


def _conflicting_pack(edit: Editor) -> Path:
    return edit(
        "clauses/high_tech_first_cert.yaml",
        "    reference: 示例，未核实来源：“入库培育企业认定后给予奖励，扣除已获培育奖励”\n",
        "    reference: 示例，未核实来源：“入库培育企业认定后给予奖励，扣除已获培育奖励”\n"
        "  - id: relocated\n    label: 测试用的第二个例外\n    priority: 1\n"
        "    when: cultivation_reward_received > 10000元\n    amount: 10万元\n",
    )


def test_two_exceptions_of_the_same_priority_conflict(edit: Editor) -> None:
    """Two applicable exceptions at one priority are an error in an explanation and a reason in a batch."""
    conflicting = load_pack(_conflicting_pack(edit))
    clause = "innovation.high_tech_first_cert"
    with pytest.raises(EvaluationError) as info:
        explain(
            conflicting,
            clause,
            {"high_tech_first_certified": "是", "cultivation_reward_received": "50000"},
            Y2025,
        )
    assert info.value.code_text == "policy.exception_conflict"
    assert info.value.details["exceptions"] == ["cultivated", "relocated"]
    inputs = build_inputs(
        conflicting,
        {
            "high_tech_first_certified": np.array([True, True]),
            "cultivation_reward_received": np.array([5_000_000, 500_000]),
        },
        Y2025,
    )
    outcome = Evaluation(conflicting, inputs, Y2025).clause(clause)
    assert [outcome.reason_codes[r] for r in outcome.reason] == ["exception_conflict", "ok"]
    assert outcome.amount_fen.tolist() == [0, 29_500_000]


def test_rounding_rules_apply_once_to_the_exact_amount() -> None:
    """Exact amounts in 1/10000 fen round half up (away from zero), half even or down, as the pack says."""
    exact = np.array(
        [5_000, 15_000, 14_999, -5_000, 25_000], dtype=np.int64
    )  # 0.5, 1.5, 1.4999, -0.5, 2.5 fen
    assert Rounding().apply(exact, 4).tolist() == [1, 2, 1, -1, 3]
    assert Rounding(RoundingMode.HALF_EVEN).apply(exact, 4).tolist() == [0, 2, 1, 0, 2]
    assert Rounding(RoundingMode.DOWN).apply(exact, 4).tolist() == [0, 1, 1, 0, 2]
    assert Rounding(RoundingMode.HALF_UP, "yuan").apply(np.array([15_049, 15_050]), 0).tolist() == [
        15_000,
        15_100,
    ]
