"""申兑指南: the plain-language claim guide of a clause, generated from the pack.

Who may claim, the conditions (the clause's own condition labels), how much (generated from
the parameters in force for the period: scale brackets, tables by category, fixed amounts,
exceptions), the deadline, materials, how and where to apply and whom to ask. Contact details
in the example pack are placeholders and are marked as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from longcheng.policy.engine.amounts import bp_to_percent, fen_to_chinese
from longcheng.policy.engine.pack import Clause, Pack
from longcheng.policy.engine.params import Param, ScalarParam, ScaleParam, TableParam, Unit
from longcheng.policy.engine.periods import Period, PeriodKind


def guide(pack: Pack, clause_id: str, period: Period) -> dict[str, Any]:
    """The guide of one clause for one period, JSON-ready."""
    clause = pack.clause(clause_id)
    info = clause.guide
    reading = clause.reading()
    return {
        "clause": clause.id,
        "title": clause.title,
        "policy": pack.title,
        "document_number": pack.document_number,
        "issuer": pack.issuer,
        "article": clause.article,
        "period": str(period),
        "who": info.who,
        "conditions": [c.label for c in clause.conditions],
        "amount": {
            "summary": info.amount_text,
            "per": "每月" if clause.period is PeriodKind.MONTH else "每年度",
            "details": _amount_lines(pack, clause, period, reading.replace),
            "exceptions": [e.label for e in sorted(clause.exceptions, key=lambda e: -e.priority)],
            "reading": {"label": reading.label, "confirmed": reading.confirmed},
        },
        "deadline": info.deadline,
        "materials": list(info.materials),
        "how": info.how,
        "channel": info.channel,
        "contact": {
            "office": info.contact.office,
            "phone": info.contact.phone,
            "address": info.contact.address,
            "example": info.contact.example,
        },
        "reference": clause.reference,
        "illustrative": pack.illustrative,
    }


def _amount_params(clause: Clause) -> list[str]:
    parts = [clause.amount, *(e.amount for e in clause.exceptions)]
    seen: list[str] = []
    for part in parts:
        for kind, name in sorted(part.deps):
            if kind == "param" and name not in seen:
                seen.append(name)
    return seen


def _amount_lines(pack: Pack, clause: Clause, period: Period, replace: Mapping[str, str]) -> list[str]:
    lines = []
    for name in _amount_params(clause):
        param = pack.params[replace.get(name, name)]
        lines.extend(_describe(pack, param, period))
    return lines


def _describe(pack: Pack, param: Param, period: Period) -> list[str]:
    instant = period.start
    if isinstance(param, ScaleParam):
        scale = param.at(instant)
        tops = scale.thresholds[1:] + (None,)
        lines = [f"{param.meta.label}："]
        for low, high, rate in zip(scale.thresholds, tops, scale.rates, strict=True):
            span = (
                f"{fen_to_chinese(low)}以上部分"
                if high is None
                else f"{fen_to_chinese(low)}至{fen_to_chinese(high)}部分"
            )
            lines.append(f"  {span}按 {bp_to_percent(rate)} 计")
        return lines
    if isinstance(param, TableParam):
        spec = pack.variables[param.keys]
        items = []
        for key, label in zip(spec.values, spec.value_labels, strict=True):
            value = param.rows[key].at(instant)
            if value is not None and value.value:
                items.append(f"{label} {_value(value.value, param.unit)}")
        return [f"{param.meta.label}：" + "，".join(items)]
    if isinstance(param, ScalarParam):
        value = param.history.at(instant)
        shown = _value(value.value, param.unit) if value is not None else "本期无有效取值"
        return [f"{param.meta.label}：{shown}"]
    return []


def _value(value: int, unit: Unit) -> str:
    if unit is Unit.FEN:
        return fen_to_chinese(value)
    if unit is Unit.BP:
        return bp_to_percent(value)
    return str(value)


def guide_text(data: Mapping[str, Any]) -> str:
    """The guide as Chinese text, section by section."""
    amount = data["amount"]
    lines = [f"【申兑指南】{data['title']}", f"政策依据：{data['policy']} {data['article']}"]
    if data["document_number"]:
        lines.append(f"文号：{data['document_number']}")
    lines += ["一、申报对象", f"  {data['who']}", "二、申报条件"]
    lines += [f"  {i}. {label}" for i, label in enumerate(data["conditions"], start=1)]
    lines.append(f"三、支持标准（{amount['per']}）")
    if amount["summary"]:
        lines.append(f"  {amount['summary']}")
    lines += [f"  {line}" for line in amount["details"]]
    lines += [f"  特别规定：{label}" for label in amount["exceptions"]]
    if not amount["reading"]["confirmed"]:
        lines.append(f"  注：本条按“{amount['reading']['label']}”计算，该解读尚待政策制定部门确认。")
    lines += ["四、申报时间", f"  {data['deadline']}", "五、申报材料"]
    lines += [f"  {i}. {item}" for i, item in enumerate(data["materials"], start=1)]
    lines += ["六、办理方式", f"  {data['how']}（渠道：{data['channel']}）"]
    contact = data["contact"]
    marker = "（示例联系方式，非真实）" if contact["example"] and "示例" not in contact["phone"] else ""
    lines += ["七、咨询方式", f"  {contact['office']}  电话：{contact['phone']}{marker}"]
    if contact["address"]:
        lines.append(f"  地址：{contact['address']}")
    if data["illustrative"]:
        lines.append("说明：本指南由示例政策包生成，内容未经核实，不能作为申报依据。")
    return "\n".join(lines)
