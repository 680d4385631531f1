"""Batch runs and 精准推送: evaluate every firm, store the qualifying set, diff it with the
previous run of the same pack and period, and write the notification list (one notification
per new, dropped or changed (firm, clause) pair, which is also the firm's inbox message).

Each qualifying row keeps ``basis``: the values the clause read for that firm, as people read
them. The diff compares the bases of the two runs, so a changed amount comes with its cause
("年度研发投入增长额：1,500,000.00 元 → 2,000,000.00 元"), and a firm that dropped out with
the condition it no longer meets and the values it now has. One audit record per run.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import utcnow
from longcheng.core.db import bulk_insert
from longcheng.core.errors import PermissionDenied
from longcheng.policy import permissions as perm
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.batch import BatchResult, evaluate_columns, reason_text
from longcheng.policy.engine.explain import display
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.rules import Kind
from longcheng.policy.inbox.service import push_to_centre
from longcheng.policy.inputs.service.sources import load_population
from longcheng.policy.models import Notification, Result, Run
from longcheng.policy.service import clause_inputs, get_pack, year_period

Key = tuple[str, str]
WRITE_BATCH = 5_000
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Stored:
    """A stored qualifying row as the diff needs it."""

    amount_fen: int
    org_name: str
    district: str | None
    basis_json: str

    @property
    def basis(self) -> dict[str, str]:
        data: dict[str, str] = json.loads(self.basis_json)
        return data


def run_registry_batch(
    session: Session,
    *,
    actor: Actor,
    year: int | str | None,
    pack_id: str | None = None,
    readings: Mapping[str, str] | None = None,
    notify: bool = True,
    progress: Progress | None = None,
) -> tuple[Run, BatchResult]:
    """Evaluate every enterprise in the registry for ``year`` and store the run (city-wide only)."""
    require_city_wide(actor, perm.RUN_CREATE)
    pack = get_pack(pack_id)
    period = year_period(pack, year)
    step = progress or (lambda _label, _done, _total: None)
    step("读取企业库", 0, 1)
    population = load_population(session, actor=actor, pack=pack, year=period.year)
    step("读取企业库", 1, 1)
    clauses = pack.clauses_for("enterprise", period.kind)
    done = iter(range(1, len(clauses) + 1))
    step("计算条款", 0, len(clauses))
    result = evaluate_columns(
        pack,
        population.columns,
        period,
        readings=readings,
        skip_missing=True,
        on_clause=lambda _c: step("计算条款", next(done), len(clauses)),
    )
    labels = (population.names, population.districts)
    step("保存符合名单并比较上次测算", 0, 1)
    run = store_run(
        session,
        actor=actor,
        result=result,
        labels=labels,
        source="registry",
        source_label="企业库",
        notify=notify,
    )
    step("保存符合名单并比较上次测算", 1, 1)
    return run, result


def require_city_wide(actor: Actor, action: str) -> None:
    """A batch covers the whole city: refused to district officers and enterprises."""
    require(actor, action)
    if not perm.city_wide(actor):
        raise PermissionDenied("全市批量测算只能由市级工作人员或管理员发起。", code="policy.city_wide_only")


def store_run(
    session: Session,
    *,
    actor: Actor,
    result: BatchResult,
    labels: tuple[Sequence[str], Sequence[str | None]] | None = None,
    source: str,
    source_label: str,
    notify: bool = True,
) -> Run:
    """Store a batch result as a run, diff it with the previous run and write the notifications."""
    require_city_wide(actor, perm.RUN_CREATE)
    pack, period = result.pack, str(result.period)
    previous = latest_run(session, pack_id=pack.id, period=period)
    names, districts = labels or ([""] * len(result.ids), [None] * len(result.ids))
    run = _new_run(actor, result, previous, source=source, source_label=source_label)
    session.add(run)
    session.flush()
    current = _store_results(session, run, result, names, districts)
    before = _stored(session, previous.id) if previous else {}
    changes = _changes(result, before, current, names, districts)
    _finish(session, run, current, changes, notify=notify)
    if notify:
        push_to_centre(session, actor=actor, run=run)
    audit.record(
        session,
        actor=actor,
        action="policy.run",
        entity_type="policy_run",
        entity_id=run.id,
        after=_audit_view(run),
        reason=f"{pack.title} {period} 年度批量测算（{source_label}）",
    )
    return run


def _new_run(
    actor: Actor, result: BatchResult, previous: Run | None, *, source: str, source_label: str
) -> Run:
    """The run's own row, before its results: what was evaluated, from which source, by whom."""
    return Run(
        pack_id=result.pack.id,
        period=str(result.period),
        entity=result.entity,
        source=source,
        source_label=source_label[:200],
        readings=json.dumps({c: o.reading for c, o in result.outcomes.items()}, ensure_ascii=False),
        summary=json.dumps(result.summary(), ensure_ascii=False),
        skipped=json.dumps(result.skipped, ensure_ascii=False),
        population=len(result.ids),
        previous_id=previous.id if previous else None,
        actor=actor.label,
        started_at=utcnow(),
    )


def _finish(
    session: Session, run: Run, current: Mapping[Key, Stored], changes: list[dict[str, Any]], *, notify: bool
) -> None:
    now = utcnow()
    run.qualifying = len(current)
    run.total_fen = sum(s.amount_fen for s in current.values())
    run.new_count = sum(1 for c in changes if c["kind"] == "new")
    run.dropped_count = sum(1 for c in changes if c["kind"] == "dropped")
    run.changed_count = sum(1 for c in changes if c["kind"] == "changed")
    for change in changes:
        change.update(run_id=run.id, created_at=now, read_at=None, pushed=notify)
    bulk_insert(session, Notification, changes)
    run.notified = len(changes) if notify else 0
    run.finished_at = now
    session.flush()


def _audit_view(run: Run) -> dict[str, Any]:
    return {
        "pack": run.pack_id,
        "period": run.period,
        "source": run.source_label,
        "population": run.population,
        "qualifying": run.qualifying,
        "total": fen_to_yuan(run.total_fen),
        "previous_run": run.previous_id,
        "new": run.new_count,
        "dropped": run.dropped_count,
        "changed": run.changed_count,
        "notified": run.notified,
        "readings": run.readings_data,
    }


def latest_run(session: Session, *, pack_id: str, period: str, entity: str = "enterprise") -> Run | None:
    stmt = (
        select(Run)
        .where(Run.pack_id == pack_id, Run.period == period, Run.entity == entity)
        .order_by(Run.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


# -- basis and reasons -------------------------------------------------------------------------
def basis_of(result: BatchResult, clause_id: str, rows: Iterable[int]) -> list[dict[str, str]]:
    """For each row: the values the clause read directly, as people read them (money in 元)."""
    pack, evaluation = result.pack, result.evaluation
    assert evaluation is not None
    wanted = list(rows)
    out: list[dict[str, str]] = [{} for _ in wanted]
    for spec in clause_inputs(pack, pack.clause(clause_id)):
        column = evaluation.column(spec.name, result.period.as_kind(spec.period))
        values = column.values[wanted].tolist()
        known = column.known[wanted].tolist() if column.known is not None else [True] * len(wanted)
        for item, value, ok in zip(out, values, known, strict=True):
            item[spec.label] = _shown(value, spec.type.kind, spec) if ok else "缺失"
    return out


def _shown(value: int | bool, kind: Kind, spec: Any) -> str:
    text = display(value, spec.type, spec.value_labels)
    if kind is Kind.MONEY:
        whole, _, cents = text.partition(".")
        return f"{int(whole):,}.{cents} 元"
    return text


def _rule_reason(pack: Pack, clause_id: str, exception: int) -> str:
    if exception < 0:
        return "符合条件"
    return f"符合条件；适用特别规定：{pack.clause(clause_id).exceptions[exception].label}"


def _store_results(
    session: Session,
    run: Run,
    result: BatchResult,
    names: Sequence[str],
    districts: Sequence[str | None],
) -> dict[Key, Stored]:
    """Insert the qualifying rows in batches of ``WRITE_BATCH`` (memory stays flat in the rows)."""
    ids = result.ids.tolist()
    stored: dict[Key, Stored] = {}
    rows: list[dict[str, Any]] = []
    for clause_id, outcome in result.outcomes.items():
        index = np.flatnonzero(outcome.qualifies).tolist()
        amounts = outcome.amount_fen[index].tolist()
        exceptions = outcome.exception[index].tolist()
        reasons = {e: _rule_reason(result.pack, clause_id, e) for e in set(exceptions)}
        for row, amount, exception, basis in zip(
            index, amounts, exceptions, basis_of(result, clause_id, index), strict=True
        ):
            text = json.dumps(basis, ensure_ascii=False)
            stored[(ids[row], clause_id)] = Stored(amount, names[row], districts[row], text)
            rows.append(
                {
                    "run_id": run.id,
                    "uscc": ids[row],
                    "org_name": names[row][:200],
                    "district": districts[row],
                    "clause_id": clause_id,
                    "amount_fen": amount,
                    "reading": outcome.reading,
                    "reason": reasons[exception][:300],
                    "basis": text,
                }
            )
            if len(rows) >= WRITE_BATCH:
                bulk_insert(session, Result, rows)
                rows = []
    bulk_insert(session, Result, rows)
    return stored


def _stored(session: Session, run_id: int) -> dict[Key, Stored]:
    session.flush()
    stmt = select(
        Result.uscc, Result.clause_id, Result.amount_fen, Result.org_name, Result.district, Result.basis
    ).where(Result.run_id == run_id)
    return {
        (uscc, clause): Stored(amount, name, district, basis)
        for uscc, clause, amount, name, district, basis in session.connection().execute(stmt)
    }


def _grouped(fen: int) -> str:
    whole, _, cents = fen_to_yuan(fen).partition(".")
    return f"{int(whole):,}.{cents}"


def _basis_change(before: Mapping[str, str], after: Mapping[str, str]) -> str:
    parts = [
        f"{label}：{before.get(label, '—')} → {value}"
        for label, value in after.items()
        if before.get(label) != value
    ]
    return "；".join(parts) if parts else "条款参数或解读变化"


def _basis_text(basis: Mapping[str, str]) -> str:
    return "；".join(f"{label} {value}" for label, value in basis.items())


def _changes(
    result: BatchResult,
    before: Mapping[Key, Stored],
    after: Mapping[Key, Stored],
    names: Sequence[str],
    districts: Sequence[str | None],
) -> list[dict[str, Any]]:
    """The notification rows: new, dropped and changed pairs with amounts and reasons."""
    rows: list[dict[str, Any]] = []
    for key in sorted(after.keys() - before.keys()):
        now = after[key]
        reason = f"新符合条件（{_basis_text(now.basis)}）" if now.basis else "新符合条件"
        rows.append(_change(key, "new", now.org_name, now.district, now.amount_fen, None, reason))
    rows += _dropped(result, before, after, names, districts)
    for key in sorted(before.keys() & after.keys()):
        old, now = before[key], after[key]
        if old.amount_fen != now.amount_fen:
            move = f"金额由 {_grouped(old.amount_fen)} 元变为 {_grouped(now.amount_fen)} 元"
            reason = f"{move}：{_basis_change(old.basis, now.basis)}"
            rows.append(
                _change(key, "changed", now.org_name, now.district, now.amount_fen, old.amount_fen, reason)
            )
    return rows


def _dropped(
    result: BatchResult,
    before: Mapping[Key, Stored],
    after: Mapping[Key, Stored],
    names: Sequence[str],
    districts: Sequence[str | None],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    position = {uscc: row for row, uscc in enumerate(result.ids.tolist())}
    for key in sorted(before.keys() - after.keys()):
        uscc, clause_id = key
        old, row = before[key], position.get(uscc)
        outcome = result.outcomes.get(clause_id)
        if row is None or outcome is None:
            why = (
                "本次测算中没有该企业（已不在企业库中）"
                if row is None
                else "本次测算未计算该条款（缺少输入数据）"
            )
            rows.append(_change(key, "dropped", old.org_name, old.district, None, old.amount_fen, why))
            continue
        why = reason_text(result.pack, clause_id, outcome.reason_codes[int(outcome.reason[row])])
        values = basis_of(result, clause_id, [row])[0]
        text = f"{why}（{_basis_text(values)}）" if values else why
        rows.append(_change(key, "dropped", names[row], districts[row], None, old.amount_fen, text))
    return rows


def _change(
    key: Key,
    kind: str,
    name: str,
    district: str | None,
    amount: int | None,
    previous: int | None,
    reason: str,
) -> dict[str, Any]:
    return {
        "uscc": key[0],
        "clause_id": key[1],
        "org_name": name[:200],
        "district": district,
        "kind": kind,
        "amount_fen": amount,
        "previous_amount_fen": previous,
        "reason": reason,
    }
