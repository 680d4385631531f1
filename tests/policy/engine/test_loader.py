"""Broken packs are refused at load time, with a stable code, a Chinese message and a position."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.policy.conftest import Editor

from longcheng.policy.engine.errors import PackError
from longcheng.policy.engine.loader import load_pack

RD = "clauses/rd_growth_reward.yaml"
PARAMS = "parameters/innovation.yaml"


def _position(path: Path, snippet: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if snippet in line:
            return number, line.index(snippet) + 1
    raise AssertionError(snippet)


def _load_error(root: Path) -> PackError:
    with pytest.raises(PackError) as info:
        load_pack(root)
    return info.value


def test_example_pack_loads(pack_copy: Path) -> None:
    """The shipped pack loads with its five clauses."""
    loaded = load_pack(pack_copy)
    assert len(loaded.clauses) == 5
    assert "innovation.rd_growth_reward" in loaded.clauses


def test_unknown_variable_points_at_the_token(edit: Editor) -> None:
    """A misspelt variable is named, with a suggestion, at its exact line and column."""
    root = edit(RD, "test: rd_growth >= innovation", "test: rd_growht >= innovation")
    error = _load_error(root)
    line, column = _position(root / RD, "rd_growht")
    assert error.code_text == "policy.unknown_name"
    assert "rd_growht" in error.message_text
    assert "rd_growth" in error.message_text
    assert (error.details["file"], error.details["line"], error.details["column"]) == (RD, line, column)


def test_overlapping_parameter_dates(edit: Editor) -> None:
    """Two values of one parameter in force on the same day are refused."""
    root = edit(
        PARAMS,
        "          to: 2025-12-31\n          value: 20_000_000  # 20万元",
        "          to: 2025-12-31\n          value: 20_000_000  # 20万元\n"
        "        - from: 2024-01-01\n          value: 30_000_000",
    )
    error = _load_error(root)
    assert error.code_text == "policy.param_overlap"
    assert "重叠" in error.message_text
    assert error.details["file"] == PARAMS
    assert error.details["line"] > 0


def test_scale_thresholds_out_of_order(pack_copy: Path) -> None:
    """A bracket whose threshold is not above the previous one is refused, at that value."""
    path = pack_copy / PARAMS
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("value: 10_000_000_000}]  # 1亿元", "value: 500_000_000}]  # 500万元", 1),
        encoding="utf-8",
    )
    error = _load_error(pack_copy)
    assert error.code_text == "policy.scale_order"
    assert "2021-01-01" in error.message_text
    assert "第4档" in error.message_text
    assert error.details["line"] == _position(path, "value: 500_000_000}]")[0]


def test_tab_is_refused_with_its_position(edit: Editor) -> None:
    """A tab in a pack file is refused at its line and column."""
    root = edit(RD, "period: year", "period:\tyear")
    error = _load_error(root)
    line, column = _position(root / RD, "\t")
    assert error.code_text == "policy.yaml_tab"
    assert (error.details["line"], error.details["column"]) == (line, column)


def test_yaml_syntax_error_has_line_and_column(edit: Editor) -> None:
    """A YAML syntax error names the file, line and column."""
    root = edit(RD, "title: 企业研发投入增长奖励", "title: [企业研发投入增长奖励")
    error = _load_error(root)
    assert error.code_text == "policy.yaml_syntax"
    assert error.details["file"] == RD
    assert error.details["line"] > 1
    assert error.details["column"] > 0
    assert "第" in error.message_text
    assert "行" in error.message_text


def test_duplicate_key_is_refused(edit: Editor) -> None:
    """YAML that repeats a key is refused instead of silently keeping the last value."""
    root = edit(RD, "period: year", "period: year\nperiod: month")
    assert _load_error(root).code_text == "policy.yaml_duplicate_key"


def test_clause_cycle_is_refused(edit: Editor) -> None:
    """Two clauses that depend on each other are a cycle, named in order."""
    edit(
        "clauses/high_tech_first_cert.yaml",
        "amount: innovation.high_tech.first_cert_reward\n",
        "amount: innovation.srdi_level_reward\n",
    )
    root = edit(
        "clauses/srdi_level_reward.yaml",
        "amount: innovation.srdi.reward[srdi_level]\n",
        "amount: innovation.high_tech_first_cert\n",
    )
    error = _load_error(root)
    assert error.code_text == "policy.cycle"
    assert (
        "innovation.high_tech_first_cert → innovation.srdi_level_reward → innovation.high_tech_first_cert"
        in (error.message_text)
    )


def test_unknown_enum_value_is_refused(edit: Editor) -> None:
    """An enum value the variable does not declare is refused where it is written."""
    root = edit(RD, '"high_tech", "tech_sme"]', '"high_tech", "tech_smes"]')
    error = _load_error(root)
    line, column = _position(root / RD, '"tech_smes"')
    assert error.code_text == "policy.enum_value"
    assert (error.details["line"], error.details["column"]) == (line, column)


def test_money_times_money_is_a_type_error(edit: Editor) -> None:
    """Multiplying two amounts is refused: only amount × rate or number makes sense."""
    root = edit(RD, "amount: scale(innovation.rd_reward.bands, rd_growth)", "amount: rd_growth * rd_growth")
    assert _load_error(root).code_text == "policy.expr_type"


def test_monthly_variable_in_yearly_clause(edit: Editor) -> None:
    """A yearly clause cannot read a monthly variable without saying which month."""
    root = edit("clauses/young_talent_living.yaml", "period: month", "period: year")
    assert _load_error(root).code_text == "policy.period_mismatch"


def test_reading_must_substitute_a_parameter_of_the_same_kind(edit: Editor) -> None:
    """A reading that swaps a scale for a plain amount is refused."""
    root = edit(
        RD,
        "innovation.rd_reward.bands: innovation.rd_reward.bands_entry_threshold",
        "innovation.rd_reward.bands: innovation.rd_reward.min_growth",
    )
    assert _load_error(root).code_text == "policy.reading"


def test_missing_reference_is_refused(edit: Editor) -> None:
    """Every parameter must say which article it implements (or that it is illustrative)."""
    root = edit(PARAMS, "      reference: 示例，未核实来源：仿常州市青年人才政策“35周岁以下”的做法\n", "")
    assert _load_error(root).code_text == "policy.param_reference"


def test_float_parameter_value_is_refused(edit: Editor) -> None:
    """A parameter written with decimals is refused: amounts are whole fen, rates whole bp."""
    root = edit(PARAMS, "value: 10000  # 100%", "value: 100.5")
    assert _load_error(root).code_text == "policy.param_value"
