"""Every clause for every entity at once (精准推送, 免申即享 lists, budget estimates), and the diff.

The input side is pluggable: anything that yields a mapping of column name → array (a Parquet
or CSV file through ``tabular``, the registry later, a test's dict) goes through
``build_inputs`` and then ``evaluate_batch``. No per-firm Python runs in the batch path.

``diff_runs`` compares two runs' qualifying sets ``{(uscc, clause): amount_fen}`` and lists who
newly qualifies, who dropped out and whose amount changed, with reasons, as plain data: the
notification list of 精准推送.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.errors import EvaluationError
from longcheng.policy.engine.evaluate import ClauseOutcome, Evaluation
from longcheng.policy.engine.inputs import Inputs, build_inputs
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.rules import Array

Key = tuple[str, str]


@dataclass
class BatchResult:
    """Per clause: amount column (fen), qualifies mask and reason codes, over the same rows."""

    pack: Pack
    period: Period
    entity: str
    ids: Array
    outcomes: dict[str, ClauseOutcome] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    evaluation: Evaluation | None = None

    def summary(self) -> list[dict[str, Any]]:
        """Per clause: how many qualify, the total, and how many failed for each reason."""
        rows = []
        for clause_id, outcome in self.outcomes.items():
            counts = np.bincount(outcome.reason, minlength=len(outcome.reason_codes))
            rows.append(
                {
                    "clause": clause_id,
                    "title": self.pack.clauses[clause_id].title,
                    "reading": outcome.reading,
                    "qualifying": int(outcome.qualifies.sum()),
                    "total_fen": int(outcome.amount_fen.sum()),
                    "total": fen_to_yuan(int(outcome.amount_fen.sum())),
                    "reasons": {
                        code: int(c) for code, c in zip(outcome.reason_codes, counts, strict=True) if c
                    },
                }
            )
        return rows


def evaluate_batch(
    pack: Pack,
    inputs: Inputs,
    period: Period,
    *,
    entity: str = "enterprise",
    ids: Array | None = None,
    readings: Mapping[str, str] | None = None,
    clauses: Iterable[str] | None = None,
    on_clause: Callable[[str], None] | None = None,
    skip_missing: bool = False,
) -> BatchResult:
    """Evaluate the entity's clauses of this period kind (or ``clauses``) over all rows.

    With ``skip_missing`` a clause whose input columns are absent is left out and listed in
    ``skipped`` with the reason; otherwise the missing column is an error before any output.
    """
    wanted = list(clauses) if clauses is not None else [c.id for c in pack.clauses_for(entity, period.kind)]
    evaluation = Evaluation(pack, inputs, period, readings=readings)
    ids = ids if ids is not None else np.arange(inputs.n).astype(str)
    result = BatchResult(pack, period, entity, ids, evaluation=evaluation)
    for clause_id in wanted:
        try:
            result.outcomes[clause_id] = evaluation.clause(clause_id)
        except EvaluationError as exc:
            if not (skip_missing and exc.code_text == "policy.missing_input"):
                raise
            result.skipped[clause_id] = exc.message_text
        if on_clause is not None:
            on_clause(clause_id)
    return result


def evaluate_columns(
    pack: Pack,
    columns: Mapping[str, Any],
    period: Period,
    *,
    entity: str = "enterprise",
    readings: Mapping[str, str] | None = None,
    clauses: Iterable[str] | None = None,
    on_clause: Callable[[str], None] | None = None,
    skip_missing: bool = False,
) -> BatchResult:
    """The pluggable entry point: columns by name (ids under the entity's id column)."""
    id_column = pack.entities[entity].id_column
    ids = np.asarray(columns[id_column]) if id_column in columns else None
    if ids is not None and ids.dtype.kind not in "UO":
        ids = ids.astype(str)
    inputs = build_inputs(pack, columns, period, entity)
    return evaluate_batch(
        pack,
        inputs,
        period,
        entity=entity,
        ids=ids,
        readings=readings,
        clauses=clauses,
        on_clause=on_clause,
        skip_missing=skip_missing,
    )


def qualifying_set(result: BatchResult) -> dict[Key, int]:
    """``{(id, clause): amount_fen}`` for every qualifying pair: what a run stores for the next diff."""
    found: dict[Key, int] = {}
    for clause_id, outcome in result.outcomes.items():
        rows = np.flatnonzero(outcome.qualifies)
        for entity_id, amount in zip(
            result.ids[rows].tolist(), outcome.amount_fen[rows].tolist(), strict=True
        ):
            found[(entity_id, clause_id)] = amount
    return found


def reason_lookup(result: BatchResult) -> Callable[[str, str], str]:
    """A function (id, clause) → the Chinese reason this run gives for that pair."""
    rows = {entity_id: row for row, entity_id in enumerate(result.ids.tolist())}

    def reason(entity_id: str, clause_id: str) -> str:
        outcome = result.outcomes.get(clause_id)
        row = rows.get(entity_id)
        if outcome is None or row is None:
            return "本次数据中没有该企业或条款"
        return reason_text(result.pack, clause_id, outcome.reason_codes[int(outcome.reason[row])])

    return reason


def reason_text(pack: Pack, clause_id: str, code: str) -> str:
    """A reason code as a sentence: ``condition:growth_threshold`` → 未满足条件：…"""
    if code == "ok":
        return "符合条件"
    if code == "missing_input":
        return "缺少计算所需的数据"
    if code == "exception_conflict":
        return "两个同一优先级的例外同时适用，需人工判定"
    condition_id = code.removeprefix("condition:")
    for condition in pack.clauses[clause_id].conditions:
        if condition.id == condition_id:
            return f"未满足条件：{condition.label}"
    return code


def diff_runs(
    previous: Mapping[Key, int],
    current: Mapping[Key, int],
    *,
    reason: Callable[[str, str], str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """精准推送: who is new, who dropped out, whose amount changed, sorted by id then clause."""
    new = [
        {"id": k[0], "clause": k[1], "amount": fen_to_yuan(current[k]), "reason": "新符合条件"}
        for k in sorted(current.keys() - previous.keys())
    ]
    dropped = [
        {
            "id": k[0],
            "clause": k[1],
            "previous_amount": fen_to_yuan(previous[k]),
            "reason": reason(*k) if reason else "不再符合条件",
        }
        for k in sorted(previous.keys() - current.keys())
    ]
    changed = [
        {
            "id": k[0],
            "clause": k[1],
            "previous_amount": fen_to_yuan(previous[k]),
            "amount": fen_to_yuan(current[k]),
            "change": fen_to_yuan(current[k] - previous[k]),
            "reason": f"金额由 {fen_to_yuan(previous[k])} 元变为 {fen_to_yuan(current[k])} 元",
        }
        for k in sorted(previous.keys() & current.keys())
        if previous[k] != current[k]
    ]
    return {"new": new, "dropped": dropped, "changed": changed}
