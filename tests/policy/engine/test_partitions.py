"""The batch cut into Parquet partitions and joined again equals the batch over all rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests.policy.engine.test_batch import _population

from longcheng.policy.engine.batch import BatchResult, evaluate_columns
from longcheng.policy.engine.inputs import Column
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.partitions import (
    evaluate_partition,
    join_parts,
    read_partition,
    write_partitions,
)
from longcheng.policy.engine.periods import Period

Y2025 = Period(2025)
KEEP = [("rd_growth", Y2025), ("national_grant", Y2025)]


def assert_same(left: BatchResult, right: BatchResult) -> None:
    """Ids, every outcome array and the summary are equal, element by element."""
    assert left.ids.tolist() == right.ids.tolist()
    assert list(left.outcomes) == list(right.outcomes)
    assert left.skipped == right.skipped
    for clause_id, one in left.outcomes.items():
        other = right.outcomes[clause_id]
        for name in ("amount_fen", "qualifies", "reason", "exception", "exact"):
            assert np.array_equal(getattr(one, name), getattr(other, name)), (clause_id, name)
        assert (one.reason_codes, one.reading, one.exp) == (other.reason_codes, other.reading, other.exp)
        assert all(np.array_equal(a, b) for a, b in zip(one.conditions, other.conditions, strict=True))
        assert all(np.array_equal(a, b) for a, b in zip(one.applicable, other.applicable, strict=True))
    assert left.summary() == right.summary()


def test_partition_round_trip_keeps_values_and_missing(tmp_path: Path) -> None:
    """A Column with unknown rows comes back with the same values and known-mask; ids stay text."""
    known = np.array([True, False, True])
    columns = {
        "uscc": np.array(["A1", "B2", "C3"]),
        "rd_growth": Column(np.array([5, 0, -7], dtype=np.int64), known),
        "grants_same_project": Column(np.array([True, False, True])),
        "enterprise_type": Column(np.array([0, 2, 1], dtype=np.int16)),
    }
    [path] = write_partitions(columns, tmp_path, 1)
    back = read_partition(path)
    assert back["uscc"].tolist() == ["A1", "B2", "C3"]
    assert back["rd_growth"].values[known].tolist() == [5, -7]
    assert back["rd_growth"].known.tolist() == known.tolist()
    assert back["grants_same_project"].values.dtype == np.bool_
    assert back["grants_same_project"].known is None
    assert back["enterprise_type"].values.tolist() == [0, 2, 1]


def test_joined_partitions_equal_the_whole_batch(pack: Pack, tmp_path: Path) -> None:
    """5,003 firms in 7 uneven partitions: every array and the kept basis columns are identical."""
    columns = _population(5_003, seed=11)
    whole = evaluate_columns(pack, columns, Y2025, skip_missing=True)
    paths = write_partitions(columns, tmp_path, 7)
    assert len(paths) == 7
    parts = [evaluate_partition(pack, path, Y2025, keep=KEEP) for path in paths]
    joined = join_parts(pack, parts, Y2025)
    assert_same(whole, joined)
    assert joined.evaluation is not None
    assert whole.evaluation is not None
    for key in KEEP:
        assert np.array_equal(joined.evaluation.column(*key).values, whole.evaluation.column(*key).values)


def test_fewer_rows_than_partitions_gives_no_empty_file(pack: Pack, tmp_path: Path) -> None:
    """Three firms asked in eight partitions make three files, joined back in order."""
    columns = _population(3)
    paths = write_partitions(columns, tmp_path, 8)
    assert len(paths) == 3
    joined = join_parts(pack, [evaluate_partition(pack, p, Y2025) for p in paths], Y2025)
    assert_same(evaluate_columns(pack, columns, Y2025, skip_missing=True), joined)
