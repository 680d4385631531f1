"""A batch cut into partitions: columns to Parquet files and back, one partition evaluated into a
small picklable part, and the parts joined into one ``BatchResult`` equal to the in-process run.

This is the pure half of running the batch on a cluster; it imports no Dask (the glue that sends
:func:`evaluate_partition` to workers is ``policy.runs.service.cluster``). A partition file holds
engine-native columns (fen, bool, enum codes) and a null where a value is unknown, so reading it
back needs no parsing and gives the same ``Column`` (values and known-mask) that was written.

Every clause is evaluated row by row without looking at other rows, so evaluating each partition
separately and concatenating the per-row arrays in partition order gives exactly the arrays of one
evaluation over all rows. ``keep`` names the variable columns the caller needs after the batch (a
stored run keeps each qualifying firm's basis); they travel back with the part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from longcheng.policy.engine.batch import BatchResult, evaluate_columns
from longcheng.policy.engine.errors import EvaluationError
from longcheng.policy.engine.evaluate import ClauseOutcome, Evaluation
from longcheng.policy.engine.inputs import Column, Inputs
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.rules import Array

ColumnKey = tuple[str, Period]
_ARRAYS = ("amount_fen", "qualifies", "reason", "exception", "exact")


@dataclass
class Part:
    """One partition's outcome: what ``BatchResult`` holds, without the pack and the evaluation."""

    ids: Array
    outcomes: dict[str, ClauseOutcome] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    kept: dict[ColumnKey, Column] = field(default_factory=dict)


def _arrow(data: Any) -> pa.Array:
    if isinstance(data, Column):
        mask = None if data.known is None else ~np.asarray(data.known, dtype=bool)
        return pa.array(np.asarray(data.values), mask=mask)
    array = np.asarray(data)
    return pa.array(array.astype(str) if array.dtype.kind in "OUS" else array)


def write_partition(columns: Mapping[str, Any], path: Path) -> Path:
    """One Parquet file of columns (``Column`` objects or plain arrays such as the ids)."""
    table = pa.table({name: _arrow(data) for name, data in columns.items()})
    pq.write_table(table, path)
    return path


def write_partitions(columns: Mapping[str, Any], folder: Path, parts: int) -> list[Path]:
    """The rows cut into at most ``parts`` consecutive partitions of near-equal size, in order."""
    first = next(iter(columns.values()))
    n = len(first.values) if isinstance(first, Column) else len(first)
    folder.mkdir(parents=True, exist_ok=True)
    bounds = np.linspace(0, n, max(1, min(parts, n)) + 1).astype(int)
    paths = []
    for index, (start, stop) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        piece = {name: _slice(data, int(start), int(stop)) for name, data in columns.items()}
        paths.append(write_partition(piece, folder / f"part-{index:05d}.parquet"))
    return paths


def _slice(data: Any, start: int, stop: int) -> Any:
    if isinstance(data, Column):
        known = None if data.known is None else data.known[start:stop]
        return Column(data.values[start:stop], known)
    return np.asarray(data)[start:stop]


def read_partition(path: Path | str) -> dict[str, Any]:
    """A partition's columns: text columns as arrays, every other one as a ready ``Column``."""
    table = pq.read_table(path)
    columns: dict[str, Any] = {}
    for name, chunked in zip(table.column_names, table.columns, strict=True):
        array = chunked.combine_chunks()
        if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
            columns[name] = array.to_numpy(zero_copy_only=False).astype(str)
            continue
        known = None
        if array.null_count:
            known = ~np.asarray(array.is_null().to_numpy(zero_copy_only=False), dtype=bool)
            array = array.fill_null(pa.scalar(False if pa.types.is_boolean(array.type) else 0, array.type))
        columns[name] = Column(np.asarray(array.to_numpy(zero_copy_only=False)), known)
    return columns


def evaluate_partition(
    pack: Pack,
    path: Path | str,
    period: Period,
    *,
    entity: str = "enterprise",
    readings: Mapping[str, str] | None = None,
    keep: Iterable[ColumnKey] = (),
) -> Part:
    """Read one partition, evaluate the entity's clauses (skipping those missing inputs)."""
    result = evaluate_columns(
        pack, read_partition(path), period, entity=entity, readings=readings, skip_missing=True
    )
    kept = {}
    for key in keep:
        column = _kept(result, key)
        if column is not None:
            kept[key] = column
    return Part(result.ids, result.outcomes, result.skipped, kept)


def _kept(result: BatchResult, key: ColumnKey) -> Column | None:
    """A variable's column at a period, or ``None`` when its inputs are absent from the partition."""
    assert result.evaluation is not None
    try:
        return result.evaluation.column(*key)
    except EvaluationError as exc:
        if exc.code_text != "policy.missing_input":
            raise
        return None


def join_parts(
    pack: Pack,
    parts: Sequence[Part],
    period: Period,
    *,
    entity: str = "enterprise",
    readings: Mapping[str, str] | None = None,
) -> BatchResult:
    """The parts, in partition order, as one ``BatchResult`` (its evaluation holds the kept columns)."""
    if not parts:
        raise ValueError("join_parts needs at least one part")
    ids = np.concatenate([part.ids for part in parts])
    kept = {key: _join_columns([part.kept[key] for part in parts]) for key in parts[0].kept}
    evaluation = Evaluation(pack, Inputs(len(ids), kept), period, readings=readings)
    result = BatchResult(pack, period, entity, ids, skipped=dict(parts[0].skipped), evaluation=evaluation)
    for clause_id in parts[0].outcomes:
        result.outcomes[clause_id] = _join_outcomes([part.outcomes[clause_id] for part in parts])
    return result


def _join_columns(columns: Sequence[Column]) -> Column:
    values = np.concatenate([c.values for c in columns])
    if all(c.known is None for c in columns):
        return Column(values)
    known = [np.ones(len(c.values), dtype=bool) if c.known is None else c.known for c in columns]
    return Column(values, np.concatenate(known))


def _join_outcomes(outcomes: Sequence[ClauseOutcome]) -> ClauseOutcome:
    first = outcomes[0]
    arrays = {name: np.concatenate([getattr(o, name) for o in outcomes]) for name in _ARRAYS}
    return ClauseOutcome(
        clause_id=first.clause_id,
        reading=first.reading,
        reason_codes=first.reason_codes,
        exp=first.exp,
        conditions=_join_tuples([o.conditions for o in outcomes]),
        applicable=_join_tuples([o.applicable for o in outcomes]),
        **arrays,
    )


def _join_tuples(groups: Sequence[tuple[Array, ...]]) -> tuple[Array, ...]:
    return tuple(np.concatenate(items) for items in zip(*groups, strict=True))
