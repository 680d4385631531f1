"""The batch: a whole population at once, from files, to files, and the push diff between runs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from longcheng.policy.engine.batch import diff_runs, evaluate_columns, qualifying_set, reason_lookup
from longcheng.policy.engine.errors import InputError
from longcheng.policy.engine.explain import explain
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.tables import read_table, table_columns, write_result

Y2025 = Period(2025)
RD = "innovation.rd_growth_reward"


def _population(n: int, seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "uscc": np.array([f"91320400MA{i:08d}" for i in range(n)]),
        "enterprise_type": rng.choice(np.array(["high_tech", "tech_sme", "other"]), n),
        "rd_growth": np.round(rng.lognormal(np.log(60_000_000), 1.6, n)).astype(np.int64)
        * rng.choice([-1, 1, 1, 1, 1], n),
        "high_tech_first_certified": rng.random(n) < 0.3,
        "cultivation_reward_received": np.where(rng.random(n) < 0.3, 5_000_000, 0),
        "national_grant": np.where(rng.random(n) < 0.3, rng.integers(0, 2 * 10**10, n), 0),
        "provincial_grant": np.where(rng.random(n) < 0.3, rng.integers(0, 10**10, n), 0),
        "grants_same_project": rng.random(n) < 0.5,
        "srdi_level": rng.choice(np.array(["none", "city", "province", "national"]), n),
        "srdi_newly_recognised": rng.random(n) < 0.5,
        "srdi_prior_reward": np.where(rng.random(n) < 0.3, 10_000_000, 0),
    }


def _as_yuan_text(columns: dict[str, np.ndarray], money: list[str]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for name, values in columns.items():
        if name in money:
            table[name] = [
                f"{'-' if v < 0 else ''}{abs(int(v)) // 100}.{abs(int(v)) % 100:02d}" for v in values
            ]
        else:
            table[name] = [str(v).lower() if isinstance(v, np.bool_) else str(v) for v in values]
    return table


def test_batch_agrees_with_one_firm_explanations(pack: Pack) -> None:
    """Every clause's batch amount equals the explanation of the same firm, row by row."""
    columns = _population(60)
    result = evaluate_columns(pack, columns, Y2025)
    assert set(result.outcomes) == {c.id for c in pack.clauses_for("enterprise", Y2025.kind)}
    for row in range(60):
        values = {k: str(v[row]) for k, v in columns.items() if k != "uscc"}
        values = {
            k: (
                f"{int(v) / 100:.2f}"
                if k
                in {
                    "rd_growth",
                    "cultivation_reward_received",
                    "national_grant",
                    "provincial_grant",
                    "srdi_prior_reward",
                }
                else v
            )
            for k, v in values.items()
        }
        for clause_id, outcome in result.outcomes.items():
            data = explain(pack, clause_id, values, Y2025)
            assert data["amount_fen"] == int(outcome.amount_fen[row]), (clause_id, row)
            assert data["qualifies"] == bool(outcome.qualifies[row])


def test_summary_counts_reasons(pack: Pack) -> None:
    """The summary gives per clause the qualifying count, the total and the reasons of the others."""
    result = evaluate_columns(pack, _population(500), Y2025)
    summary = {s["clause"]: s for s in result.summary()}
    rd = summary[RD]
    assert sum(rd["reasons"].values()) == 500
    assert rd["qualifying"] == rd["reasons"]["ok"]
    assert rd["total_fen"] == int(result.outcomes[RD].amount_fen.sum())


def test_csv_in_yuan_and_parquet_roundtrip(pack: Pack, tmp_path: Path) -> None:
    """A CSV in yuan and a Parquet in fen give the same results, written back as Parquet and XLSX."""
    columns = _population(200)
    money = [
        "rd_growth",
        "cultivation_reward_received",
        "national_grant",
        "provincial_grant",
        "srdi_prior_reward",
    ]
    csv_path = tmp_path / "firms.csv"
    text = _as_yuan_text(columns, money)
    lines = [",".join(text)] + [",".join(text[k][i] for k in text) for i in range(200)]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from_csv = evaluate_columns(pack, table_columns(pack, read_table(csv_path), Y2025), Y2025)
    direct = evaluate_columns(pack, columns, Y2025)
    for clause_id in direct.outcomes:
        assert (
            from_csv.outcomes[clause_id].amount_fen.tolist() == direct.outcomes[clause_id].amount_fen.tolist()
        )
    write_result(direct, tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column(f"{RD}.amount_fen").to_pylist() == direct.outcomes[RD].amount_fen.tolist()
    write_result(direct, tmp_path / "out.xlsx")
    workbook = load_workbook(tmp_path / "out.xlsx", read_only=True)
    sheet = workbook["测算结果"]
    rows = list(sheet.iter_rows(values_only=True))
    workbook.close()
    assert len(rows) == 201
    assert rows[0][0] == "企业编号"


def test_bad_cells_are_all_reported_and_nothing_runs(pack: Pack, tmp_path: Path) -> None:
    """Refused amount cells are reported with their row numbers before any evaluation."""
    path = tmp_path / "bad.csv"
    path.write_text(
        'uscc,enterprise_type,rd_growth\nA,high_tech,1.2e8\nB,high_tech,"12,345"\nC,tech_sme,"1,23"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        table_columns(pack, read_table(path), Y2025)
    message = info.value.message_text
    assert info.value.code_text == "policy.input_cells"
    assert "第 2 行" in message
    assert "第 4 行" in message
    assert "第 3 行" not in message


def test_float_parquet_money_is_refused(pack: Pack, tmp_path: Path) -> None:
    """A Parquet money column stored as float is refused."""
    path = tmp_path / "float.parquet"
    pq.write_table(
        pa.table({"uscc": ["A"], "rd_growth": pa.array([123456789.87]), "enterprise_type": ["high_tech"]}),
        path,
    )
    with pytest.raises(InputError) as info:
        table_columns(pack, read_table(path), Y2025)
    assert info.value.code_text == "policy.float_money"


def test_push_diff_lists_new_dropped_and_changed(pack: Pack) -> None:
    """Between two runs the diff lists who newly qualifies, who dropped out (why), whose amount changed."""
    before = _population(300, seed=1)
    after = {k: v.copy() for k, v in before.items()}
    after["enterprise_type"][:100] = "other"
    after["rd_growth"][100:200] = after["rd_growth"][100:200] + 100_000_00
    old = evaluate_columns(pack, before, Y2025)
    new = evaluate_columns(pack, after, Y2025)
    diff = diff_runs(qualifying_set(old), qualifying_set(new), reason=reason_lookup(new))
    dropped = [d for d in diff["dropped"] if d["clause"] == RD]
    assert dropped
    assert all(d["reason"] == "未满足条件：企业为高新技术企业或科技型中小企业" for d in dropped)
    changed = [d for d in diff["changed"] if d["clause"] == RD]
    assert changed
    assert all(d["change"] != "0.00" for d in changed)
    assert diff_runs(qualifying_set(new), qualifying_set(new)) == {"new": [], "dropped": [], "changed": []}
    assert diff["new"] == [] or all(d["reason"] == "新符合条件" for d in diff["new"])


def test_diff_is_pure_on_plain_sets() -> None:
    """The diff works on plain dicts: new, dropped and changed amounts as yuan strings."""
    previous = {("A", "c1"): 100, ("B", "c1"): 200}
    current = {("B", "c1"): 250, ("C", "c1"): 300}
    diff = diff_runs(previous, current)
    assert diff["new"] == [{"id": "C", "clause": "c1", "amount": "3.00", "reason": "新符合条件"}]
    assert diff["dropped"][0]["id"] == "A"
    assert diff["changed"][0]["change"] == "0.50"


def test_monthly_talent_batch(pack: Pack) -> None:
    """The monthly talent subsidy runs as its own entity and period."""
    columns = {
        "person_id": np.array(["p1", "p2", "p3"]),
        "degree": np.array(["doctor", "bachelor", "other"]),
        "age": np.array([34, 36, 25]),
        "months_in_city@2025-03": np.array([12, 12, 12]),
        "social_insurance_paid@2025-03": np.array([True, True, True]),
    }
    result = evaluate_columns(pack, columns, Period(2025, 3), entity="talent")
    outcome = result.outcomes["talent.young_talent_living"]
    assert outcome.amount_fen.tolist() == [300_000, 0, 0]
    assert result.ids.tolist() == ["p1", "p2", "p3"]


def test_parquet_with_decimal_bool_and_null_columns(pack: Pack, tmp_path: Path) -> None:
    """Parquet decimals are yuan, integers fen, booleans and enum text as such; a null is missing data."""
    path = tmp_path / "typed.parquet"
    growth = pa.array([Decimal("123456789.87"), Decimal("2000000.00"), None], pa.decimal128(18, 2))
    table = pa.table(
        {
            "uscc": ["A", "B", "C"],
            "enterprise_type": pa.array(["high_tech", "tech_sme", "high_tech"]).dictionary_encode(),
            "rd_growth": growth,
            "high_tech_first_certified": [True, False, None],
            "cultivation_reward_received": pa.array([5_000_000, 0, 0], pa.int64()),
        }
    )
    pq.write_table(table, path)
    columns = table_columns(pack, read_table(path), Y2025)
    result = evaluate_columns(pack, columns, Y2025, skip_missing=True)
    assert set(result.skipped) == {"innovation.grant_matching", "innovation.srdi_level_reward"}
    assert "national_grant" in result.skipped["innovation.grant_matching"]
    rd = result.outcomes
    assert rd[RD].amount_fen.tolist() == [715_827_159, 18_000_000, 0]
    assert [rd[RD].reason_codes[r] for r in rd[RD].reason] == ["ok", "ok", "missing_input"]
    assert rd["innovation.high_tech_first_cert"].amount_fen.tolist() == [25_000_000, 0, 0]
