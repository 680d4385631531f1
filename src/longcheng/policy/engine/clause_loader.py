"""Reading one clause file into a checked ``Clause`` (conditions, exceptions, readings, guide)."""

from __future__ import annotations

from typing import Any

from longcheng.policy.engine.compiler import Compiled, Compiler, VarSpec
from longcheng.policy.engine.errors import Loc, PackError
from longcheng.policy.engine.pack import (
    Clause,
    ClauseException,
    Condition,
    Contact,
    GuideInfo,
    Reading,
    Rounding,
    RoundingMode,
)
from longcheng.policy.engine.params import Param
from longcheng.policy.engine.periods import PeriodKind
from longcheng.policy.engine.rules import Kind
from longcheng.policy.engine.source import LocDict, LocList, LocStr


def scan_clause(data: Any, loc: Loc) -> tuple[str, str]:
    """The id and entity of a clause file, read before compiling so clauses can cite each other."""
    node = _mapping(data, loc)
    return _text(node, "id"), _text(node, "entity")


def parse_clause(
    data: LocDict,
    loc: Loc,
    variables: dict[str, VarSpec],
    params: dict[str, Param],
    clauses: dict[str, str],
    rounding: Rounding,
) -> Clause:
    clause_id, entity = scan_clause(data, loc)
    try:
        period = PeriodKind(str(data.get("period")))
    except ValueError:
        raise PackError(
            "policy.clause_period", "条款的 period 应为 year 或 month", loc=data.loc_of("period")
        ) from None
    compiler = Compiler(variables, params, clauses, entity=entity, period=period)
    conditions = tuple(_conditions(data, compiler))
    amount = _compile(compiler, data, "amount", Kind.MONEY, "金额公式")
    exceptions = tuple(_exceptions(data, compiler))
    readings, default = _readings(data, clause_id, params, [amount, *(e.amount for e in exceptions)])
    return Clause(
        id=clause_id,
        title=_text(data, "title"),
        article=str(data.get("article", "")),
        reference=_text(data, "reference"),
        entity=entity,
        period=period,
        conditions=conditions,
        amount=amount,
        exceptions=exceptions,
        readings=readings,
        default_reading=default,
        rounding=parse_rounding(data.get("rounding"), data.loc_of("rounding"), rounding),
        guide=_guide(data),
        loc=data.loc,
    )


def _mapping(data: Any, loc: Loc) -> LocDict:
    if not isinstance(data, LocDict):
        raise PackError("policy.clause_shape", "条款文件的顶层应是映射（键: 值）", loc=loc)
    return data


def _text(node: LocDict, key: str, default: str | None = None) -> str:
    value = node.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise PackError("policy.clause_field", f"缺少必填项“{key}”", loc=node.loc)
    return str(value)


def _compile(compiler: Compiler, node: LocDict, key: str, kind: Kind, what: str) -> Compiled:
    source = node.get(key)
    if isinstance(source, int) and not isinstance(source, bool) and kind is Kind.MONEY:
        source_text = LocStr(str(source))
        source_text.loc, source_text.block = node.loc_of(key), False
        source = source_text
    if not isinstance(source, LocStr):
        raise PackError("policy.clause_field", f"缺少{what}“{key}”（应为表达式）", loc=node.loc_of(key))
    return compiler.compile(source, kind, what)


def _items(node: LocDict, key: str) -> list[tuple[LocDict, Loc]]:
    raw = node.get(key, [])
    if not isinstance(raw, list):
        raise PackError("policy.clause_field", f"“{key}”应是列表", loc=node.loc_of(key))
    locs = raw.locs if isinstance(raw, LocList) else [node.loc] * len(raw)
    return [(_mapping(item, locs[i]), locs[i]) for i, item in enumerate(raw)]


def _conditions(node: LocDict, compiler: Compiler) -> list[Condition]:
    result, seen = [], set()
    for item, loc in _items(node, "conditions"):
        condition_id = _text(item, "id")
        if condition_id in seen:
            raise PackError("policy.duplicate_id", f"条件编号“{condition_id}”重复", loc=loc)
        seen.add(condition_id)
        test = _compile(compiler, item, "test", Kind.BOOL, f"条件“{condition_id}”")
        result.append(Condition(condition_id, _text(item, "label"), test, loc))
    return result


def _exceptions(node: LocDict, compiler: Compiler) -> list[ClauseException]:
    result = []
    for item, loc in _items(node, "exceptions"):
        exception_id = _text(item, "id")
        priority = item.get("priority", 1)
        if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
            raise PackError(
                "policy.exception_priority", "例外的 priority 应为正整数（数值越大越优先）", loc=loc
            )
        when = _compile(compiler, item, "when", Kind.BOOL, f"例外“{exception_id}”的适用条件")
        amount = _compile(compiler, item, "amount", Kind.MONEY, f"例外“{exception_id}”的金额")
        reference = str(item.get("reference", ""))
        result.append(
            ClauseException(exception_id, _text(item, "label"), priority, when, amount, reference, loc)
        )
    return result


def _readings(
    node: LocDict, clause_id: str, params: dict[str, Param], amounts: list[Compiled]
) -> tuple[tuple[Reading, ...], str]:
    raw = node.get("readings")
    if raw is None:
        return (Reading("default", "按条文字面理解", True, {}),), "default"
    raw = _mapping(raw, node.loc_of("readings"))
    used = {dep for compiled in amounts for kind, dep in compiled.deps if kind == "param"}
    readings = []
    for item, loc in _items(raw, "options"):
        replace = item.get("replace", {})
        for old, new in (replace or {}).items():
            _check_replacement(str(old), str(new), params, used, loc)
        confirmed = item.get("confirmed", False)
        if not isinstance(confirmed, bool):
            raise PackError("policy.reading", "解读的 confirmed 应为 true 或 false", loc=loc)
        readings.append(
            Reading(
                _text(item, "id"),
                _text(item, "label"),
                confirmed,
                {str(k): str(v) for k, v in (replace or {}).items()},
                str(item.get("note", "")),
            )
        )
    default = _text(raw, "default")
    if default not in {r.id for r in readings}:
        raise PackError(
            "policy.reading", f"条款“{clause_id}”的默认解读“{default}”不在 options 中", loc=raw.loc
        )
    return tuple(readings), default


def _check_replacement(old: str, new: str, params: dict[str, Param], used: set[str], loc: Loc) -> None:
    if old not in used:
        raise PackError("policy.reading", f"解读替换的参数“{old}”未被该条款的金额公式使用", loc=loc)
    if new not in params:
        raise PackError("policy.unknown_name", f"解读引用了未知参数“{new}”", loc=loc)
    if type(params[old]) is not type(params[new]):
        raise PackError("policy.reading", f"解读不能用不同种类的参数“{new}”替换“{old}”", loc=loc)


def parse_rounding(raw: Any, loc: Loc, default: Rounding) -> Rounding:
    """``{mode, unit}`` from a pack or clause file; absent means ``default``."""
    if raw is None:
        return default
    raw = _mapping(raw, loc)
    try:
        mode = RoundingMode(str(raw.get("mode", default.mode)))
    except ValueError:
        raise PackError(
            "policy.rounding", "rounding.mode 应为 half_up、half_even 或 down", loc=raw.loc
        ) from None
    unit = str(raw.get("unit", default.unit))
    if unit not in ("fen", "jiao", "yuan"):
        raise PackError("policy.rounding", "rounding.unit 应为 fen、jiao 或 yuan", loc=raw.loc)
    return Rounding(mode, unit)


def _guide(node: LocDict) -> GuideInfo:
    raw = _mapping(node.get("guide"), node.loc)
    contact = _mapping(raw.get("contact"), raw.loc)
    materials = raw.get("materials", [])
    return GuideInfo(
        who=_text(raw, "who"),
        amount_text=str(raw.get("amount_text", "")),
        deadline=_text(raw, "deadline"),
        materials=tuple(str(m) for m in materials),
        how=str(raw.get("how", "")),
        contact=Contact(
            office=_text(contact, "office"),
            phone=_text(contact, "phone"),
            address=str(contact.get("address", "")),
            example=bool(contact.get("example", True)),
        ),
        channel=str(raw.get("channel", "")),
    )
