"""Why a firm gets what it gets: one clause, one firm, as plain data and as Chinese text.

The explanation runs the very same evaluator as the batch on a one-row input with a tracer on,
so it cannot disagree with a payment run. It lists every condition with the values it read
(met / not met), the exception applied (or the general rule), each bracket of a progressive
scale (``from``, ``to``, ``slice``, ``rate``, ``amount``), every parameter with its dates and
reference, the reading used and whether the policy owner confirmed it (an unconfirmed reading
comes with the other readings' amounts), and the total with its rounding rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from longcheng.policy.engine.amounts import bp_to_percent, exact_yuan, fen_to_yuan
from longcheng.policy.engine.errors import EvaluationError
from longcheng.policy.engine.evaluate import CONFLICT, ClauseOutcome, Evaluation
from longcheng.policy.engine.inputs import Inputs, single_inputs
from longcheng.policy.engine.pack import Clause, Pack, Reading
from longcheng.policy.engine.params import DatedValue, ScalarParam, TableParam, Unit
from longcheng.policy.engine.periods import Period
from longcheng.policy.engine.rules import Kind, TraceEvent, Tracer, Type

InputValues = Mapping[str, str | int | bool | Decimal]


def explain(
    pack: Pack,
    clause_id: str,
    inputs: Inputs | InputValues,
    period: Period,
    *,
    reading: str | None = None,
) -> dict[str, Any]:
    """The full explanation of one clause for one entity, JSON-ready."""
    clause = pack.clause(clause_id)
    chosen = clause.reading(reading)
    if not isinstance(inputs, Inputs):
        inputs = single_inputs(pack, inputs, period, clause.entity)
    tracer = Tracer()
    evaluation = Evaluation(pack, inputs, period, readings={clause.id: chosen.id}, tracer=tracer)
    outcome = evaluation.clause(clause.id)
    _raise_on_conflict(clause, outcome)
    applied = int(outcome.exception[0])
    branch = "general" if applied < 0 else f"exception:{clause.exceptions[applied].id}"
    qualifies = bool(outcome.qualifies[0])
    scales = [_scale(e) for e in tracer.events if e.kind == "scale" and e.frame == branch]
    return {
        "clause": clause.id,
        "title": clause.title,
        "article": clause.article,
        "reference": clause.reference,
        "period": str(period),
        "qualifies": qualifies,
        "reason": outcome.reason_codes[int(outcome.reason[0])],
        "conditions": [
            _condition(pack, clause, i, outcome, tracer.events) for i in range(len(clause.conditions))
        ],
        "exceptions": _exceptions(pack, clause, outcome, tracer.events),
        "rule_applied": None if applied < 0 else clause.exceptions[applied].id,
        "brackets": scales[0]["brackets"] if scales else [],
        "scales": scales,
        "parameters": _parameters(pack, tracer.events, branch),
        "reading": _reading(chosen),
        "other_readings": _other_readings(pack, clause, inputs, period, chosen.id),
    } | _amounts(pack, clause, outcome, qualifies)


def _reading(chosen: Reading) -> dict[str, Any]:
    return {"id": chosen.id, "label": chosen.label, "confirmed": chosen.confirmed, "note": chosen.note}


def _amounts(pack: Pack, clause: Clause, outcome: ClauseOutcome, qualifies: bool) -> dict[str, Any]:
    """The rounded amount (yuan and fen), the exact one before the single rounding, and the rule."""
    return {
        "amount": fen_to_yuan(int(outcome.amount_fen[0])),
        "amount_fen": int(outcome.amount_fen[0]),
        "amount_exact": exact_yuan(int(outcome.exact[0]), outcome.exp) if qualifies else "0.00",
        "rounding": clause.rounding.describe(),
        "illustrative": pack.illustrative,
    }


def _raise_on_conflict(clause: Clause, outcome: ClauseOutcome) -> None:
    if int(outcome.reason[0]) != CONFLICT:
        return
    hits = [e for e, applies in zip(clause.exceptions, outcome.applicable, strict=True) if applies[0]]
    top = max(e.priority for e in hits)
    names = [e for e in hits if e.priority == top]
    labels = "；".join(f"{e.id}（{e.label}）" for e in names)
    raise EvaluationError(
        "policy.exception_conflict",
        f"条款“{clause.title}”有两个同一优先级（{top}）的例外同时适用，无法确定金额：{labels}",
        details={"clause": clause.id, "exceptions": [e.id for e in names], "priority": top},
    )


def display(value: int | bool, type_: Type, labels: tuple[str, ...] = ()) -> str:
    """A value as people read it: money in yuan, rates in %, enum labels, 是/否."""
    if type_.kind is Kind.MONEY:
        return exact_yuan(int(value), type_.exp)
    if type_.kind is Kind.BOOL:
        return "是" if value else "否"
    if type_.kind is Kind.ENUM:
        return labels[int(value)] if labels else str(value)
    if type_.exp == 4:
        return bp_to_percent(int(value))
    return str(Decimal(int(value)).scaleb(-type_.exp))


def _reads(pack: Pack, events: list[TraceEvent], frame: str) -> list[dict[str, Any]]:
    reads, seen = [], set()
    for event in events:
        if (
            event.frame != frame
            or event.kind not in ("var", "param", "clause")
            or (event.name, event.period) in seen
        ):
            continue
        seen.add((event.name, event.period))
        reads.append(_read(pack, event))
    return reads


def _read(pack: Pack, event: TraceEvent) -> dict[str, Any]:
    if event.kind == "var":
        spec = pack.variables[event.name]
        value = event.value
        shown = display(value, spec.type, spec.value_labels)
        raw: Any = shown
        if spec.type.kind is Kind.ENUM:
            raw = spec.values[int(value)]
        elif spec.type.kind is Kind.BOOL:
            raw = bool(value)
        return {
            "kind": "variable",
            "name": event.name,
            "label": spec.label,
            "period": event.period,
            "value": raw,
            "display": shown,
        }
    if event.kind == "clause":
        clause = pack.clauses[event.name]
        return {
            "kind": "clause",
            "name": event.name,
            "label": clause.title,
            "value": fen_to_yuan(int(event.value)),
        }
    param = pack.params[event.name]
    unit = param.unit if isinstance(param, ScalarParam | TableParam) else Unit.FEN
    return {
        "kind": "parameter",
        "name": event.name,
        "label": param.meta.label,
        "display": _param_value(int(event.value), unit),
    }


def _param_value(value: int, unit: Unit) -> str:
    if unit is Unit.FEN:
        return fen_to_yuan(value)
    if unit is Unit.BP:
        return bp_to_percent(value)
    if unit is Unit.BOOL:
        return "是" if value else "否"
    return str(value)


def _condition(
    pack: Pack, clause: Clause, index: int, outcome: ClauseOutcome, events: list[TraceEvent]
) -> dict[str, Any]:
    condition = clause.conditions[index]
    return {
        "id": condition.id,
        "label": condition.label,
        "test": condition.test.source,
        "met": bool(outcome.conditions[index][0]),
        "values": _reads(pack, events, f"condition:{condition.id}"),
    }


def _exceptions(
    pack: Pack, clause: Clause, outcome: ClauseOutcome, events: list[TraceEvent]
) -> list[dict[str, Any]]:
    applied = int(outcome.exception[0])
    return [
        {
            "id": e.id,
            "label": e.label,
            "priority": e.priority,
            "when": e.when.source,
            "applies": bool(outcome.applicable[i][0]),
            "applied": i == applied,
            "values": _reads(pack, events, f"when:{e.id}"),
            "reference": e.reference,
        }
        for i, e in enumerate(clause.exceptions)
    ]


def _scale(event: TraceEvent) -> dict[str, Any]:
    brackets = []
    for row in event.data["brackets"]:
        exp = row["exp"]
        brackets.append(
            {
                "from": fen_to_yuan(row["from"]),
                "to": None if row["to"] is None else fen_to_yuan(row["to"]),
                "slice": exact_yuan(row["slice"], exp),
                "rate": bp_to_percent(row["rate"]),
                "rate_bp": row["rate"],
                "amount": exact_yuan(row["amount"], exp + 4),
            }
        )
    return {
        "parameter": event.name,
        "requested": event.data["requested"],
        "base": exact_yuan(int(event.value), 0),
        "brackets": brackets,
    }


def _dated(dated: DatedValue) -> dict[str, Any]:
    return {
        "from": dated.start.isoformat(),
        "to": dated.end.isoformat() if dated.end else None,
        "reference": dated.reference,
    }


def _parameters(pack: Pack, events: list[TraceEvent], branch: str) -> list[dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for event in events:
        relevant = (
            event.frame.startswith("condition:")
            or event.frame in (branch, "general")
            or event.frame.startswith("when:")
        )
        if event.name in result or not relevant:
            continue
        if event.kind == "param":
            param = pack.params[event.name]
            unit = param.unit if isinstance(param, ScalarParam | TableParam) else Unit.FEN
            entry = {
                "id": event.name,
                "label": param.meta.label,
                "value": _param_value(int(event.value), unit),
            }
            if "key" in event.data:
                entry["key"] = event.data["key"]
            result[event.name] = entry | _dated(event.data["dated"])
        elif event.kind == "scale" and event.frame == branch:
            param = pack.params[event.name]
            rows = [
                {"threshold": fen_to_yuan(r["from"]), "rate": bp_to_percent(r["rate"])}
                | _dated(r["dated"][1])
                for r in event.data["brackets"]
            ]
            result[event.name] = {
                "id": event.name,
                "label": param.meta.label,
                "value": rows,
                "reference": param.meta.reference,
            }
    return list(result.values())


def _other_readings(
    pack: Pack, clause: Clause, inputs: Inputs, period: Period, chosen: str
) -> list[dict[str, Any]]:
    current = clause.reading(chosen)
    if current.confirmed:
        return []
    others = []
    for reading in clause.readings:
        if reading.id == chosen:
            continue
        outcome = Evaluation(pack, inputs, period, readings={clause.id: reading.id}).clause(clause.id)
        others.append(
            {
                "id": reading.id,
                "label": reading.label,
                "confirmed": reading.confirmed,
                "amount": fen_to_yuan(int(outcome.amount_fen[0])),
                "qualifies": bool(outcome.qualifies[0]),
            }
        )
    return others


def explanation_text(data: Mapping[str, Any]) -> str:
    """The explanation as Chinese text an enterprise can read (the CLI prints it)."""
    verdict = f"符合条件，可获 {_yuan(data['amount'])}" if data["qualifies"] else "不符合条件，金额为 0 元"
    lines = [
        f"条款：{data['title']}（{data['clause']}，{data['article']}）",
        f"期间：{data['period']}",
        f"结论：{verdict}",
        "条件：",
    ]
    for condition in data["conditions"]:
        mark = "✔ 满足" if condition["met"] else "✘ 不满足"
        values = "；".join(f"{v['label']} = {_shown(v)}" for v in condition["values"])
        lines.append(f"  {mark}  {condition['label']}（{values}）")
    for exception in data["exceptions"]:
        state = "已适用" if exception["applied"] else ("适用" if exception["applies"] else "不适用")
        lines.append(f"例外（优先级 {exception['priority']}，{state}）：{exception['label']}")
    if data["qualifies"] and data["brackets"]:
        lines.append("分档计算（超额累进）：")
        for row in data["brackets"]:
            if row["slice"] != "0.00":
                top = _yuan(row["to"]) if row["to"] else "以上"
                span = f"{_yuan(row['from'])} 至 {top}"
                lines.append(f"  {span}：{_yuan(row['slice'])} × {row['rate']} = {_yuan(row['amount'])}")
    if data["qualifies"]:
        lines.append(f"合计：{_yuan(data['amount_exact'])}，{data['rounding']}后为 {_yuan(data['amount'])}")
    lines.append("所用参数：")
    for param in data["parameters"]:
        if not isinstance(param["value"], str):
            lines.append(f"  {param['label']}：见上方分档（依据：{param['reference']}）")
            continue
        value, until = param["value"], param.get("to") or "长期"
        dates = f"{param.get('from', '')} 至 {until}"
        lines.append(f"  {param['label']}：{_maybe_yuan(value)}（{dates}；依据：{param['reference']}）")
    lines.extend(_reading_lines(data))
    if data.get("illustrative"):
        lines.append("说明：本政策包为示例，金额不能作为兑付依据。")
    return "\n".join(lines)


def _reading_lines(data: Mapping[str, Any]) -> list[str]:
    reading = data["reading"]
    state = "已经政策制定部门确认" if reading["confirmed"] else "尚未经政策制定部门确认"
    lines = [f"条文解读：{reading['label']}（{state}）"]
    for other in data["other_readings"]:
        lines.append(f"  若按“{other['label']}”，金额为 {_yuan(other['amount'])}")
    return lines


def _yuan(text: str) -> str:
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{fraction or '00'} 元"


def _maybe_yuan(text: str) -> str:
    return _yuan(text) if text.replace(".", "", 1).lstrip("-").isdigit() and "." in text else text


def _shown(value: Mapping[str, Any]) -> str:
    text = str(value.get("display", value.get("value", "")))
    if value.get("kind") == "clause" or (value.get("kind") == "parameter" and _maybe_yuan(text) != text):
        return _maybe_yuan(text)
    spec_is_money = (
        value.get("kind") == "variable" and text.replace(".", "", 1).lstrip("-").isdigit() and "." in text
    )
    return _yuan(text) if spec_is_money else text
