"""Loading a pack folder, with every check done before any evaluation.

Layout of ``packs/<pack_id>/``::

    pack.yaml            the policy document: title, 文号, issuer, dates, entities, rounding
    variables.yaml       inputs and computed variables (entity, period, type, formula)
    parameters/*.yaml    dated parameters, scales and tables (see ``params``)
    clauses/*.yaml       one clause per file: conditions, amount, exceptions, readings, guide
    tests/*.yaml         officer-readable cases (see ``cases``)

Refused at load time, each with file, line and column and a stable code: YAML tabs and syntax
errors, duplicate keys, overlapping parameter dates, scale thresholds out of order, unknown
names in expressions, type errors, enum values a variable does not declare, a reading that
substitutes a parameter of another kind, and any dependency cycle between clauses and formulas.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from longcheng.policy.engine.clause_loader import parse_clause, parse_rounding, scan_clause
from longcheng.policy.engine.compiler import Compiled, Compiler, VarSpec
from longcheng.policy.engine.errors import Loc, PackError
from longcheng.policy.engine.pack import Entity, Pack, Rounding
from longcheng.policy.engine.params import Param, TableParam, parse_parameter_tree
from longcheng.policy.engine.periods import PeriodKind
from longcheng.policy.engine.rules import Kind, Type
from longcheng.policy.engine.source import LocDict, LocStr, load_yaml_file

# The packs shipped with Longcheng live beside the engine, in ``policy/packs/``.
PACKS_DIR = Path(__file__).resolve().parent.parent / "packs"
DEFAULT_PACK = "changzhou_innovation_2021"


def pack_dir(pack_id: str = DEFAULT_PACK) -> Path:
    """The folder of a pack shipped with Longcheng."""
    return PACKS_DIR / pack_id


def load_pack(root: Path | str | None = None) -> Pack:
    """Load and check a pack folder (default: the example pack)."""
    folder = Path(root) if root is not None else pack_dir()
    if not (folder / "pack.yaml").is_file():
        raise PackError("policy.pack_missing", f"目录“{folder}”中没有 pack.yaml，不是政策包")
    header = _mapping(load_yaml_file(folder / "pack.yaml", folder), Loc("pack.yaml"))
    entities = _entities(header)
    variables = _variables(folder, entities)
    params = _parameters(folder)
    _check_tables(params, variables)
    raw_clauses = [
        (path, load_yaml_file(path, folder)) for path in sorted((folder / "clauses").glob("*.yaml"))
    ]
    scanned = dict(scan_clause(data, Loc(str(path.relative_to(folder)))) for path, data in raw_clauses)
    clash = sorted(set(scanned) & set(params) | set(scanned) & set(variables))
    if clash:
        raise PackError("policy.name_clash", f"条款编号与参数或变量重名：{'、'.join(clash)}")
    rounding = parse_rounding(header.get("rounding"), header.loc_of("rounding"), Rounding())
    formulas = _formulas(variables, params, scanned)
    clauses = {}
    for path, data in raw_clauses:
        clause = parse_clause(data, Loc(str(path.relative_to(folder))), variables, params, scanned, rounding)
        clauses[clause.id] = clause
    pack = Pack(
        id=_text(header, "id"),
        title=_text(header, "title"),
        document_number=str(header["document_number"]) if header.get("document_number") else None,
        issuer=_text(header, "issuer"),
        effective_from=_date(header, "effective_from"),
        effective_to=_date(header, "effective_to") if header.get("effective_to") is not None else None,
        illustrative=bool(header.get("illustrative", False)),
        note=str(header.get("note", "")),
        root=folder,
        entities=entities,
        variables=variables,
        params=params,
        clauses=clauses,
        formulas=formulas,
    )
    _check_cycles(pack)
    return pack


def _mapping(data: Any, loc: Loc) -> LocDict:
    if not isinstance(data, LocDict):
        raise PackError("policy.pack_shape", "文件顶层应是映射（键: 值）", loc=loc)
    return data


def _text(node: LocDict, key: str) -> str:
    value = node.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PackError("policy.pack_field", f"缺少必填项“{key}”", loc=node.loc)
    return str(value)


def _date(node: LocDict, key: str) -> date:
    value = node.get(key)
    if not isinstance(value, date):
        raise PackError("policy.pack_field", f"“{key}”应是日期，如 2021-01-01", loc=node.loc_of(key))
    return value


def _entities(header: LocDict) -> dict[str, Entity]:
    raw = _mapping(header.get("entities"), header.loc)
    return {
        str(key): Entity(str(key), _text(value, "label"), _text(value, "id_column"))
        for key, value in raw.items()
        if isinstance(value, LocDict)
    }


def _variables(folder: Path, entities: dict[str, Entity]) -> dict[str, VarSpec]:
    data = _mapping(load_yaml_file(folder / "variables.yaml", folder), Loc("variables.yaml"))
    return {str(name): _variable(str(name), spec, data.loc_of(name), entities) for name, spec in data.items()}


def _variable(name: str, spec: Any, loc: Loc, entities: dict[str, Entity]) -> VarSpec:
    spec = _mapping(spec, loc)
    if spec.get("entity") not in entities:
        raise PackError(
            "policy.var_entity", f"变量“{name}”的 entity 应为 {'、'.join(entities)} 之一", loc=spec.loc
        )
    try:
        period = PeriodKind(str(spec.get("period")))
    except ValueError:
        raise PackError(
            "policy.var_period", f"变量“{name}”的 period 应为 year 或 month", loc=spec.loc
        ) from None
    kind_text = str(spec.get("type"))
    if kind_text not in ("money", "count", "bool", "enum"):
        raise PackError(
            "policy.var_type", f"变量“{name}”的 type 应为 money、count、bool 或 enum", loc=spec.loc
        )
    values: dict[str, str] = {}
    if kind_text == "enum":
        raw_values = spec.get("values")
        if not isinstance(raw_values, LocDict) or not raw_values:
            raise PackError("policy.var_values", f"类别变量“{name}”需要 values（取值: 中文名）", loc=spec.loc)
        values = {str(k): str(v) for k, v in raw_values.items()}
    kind = {"money": Kind.MONEY, "count": Kind.NUMBER, "bool": Kind.BOOL, "enum": Kind.ENUM}[kind_text]
    maximum = spec.get("max", 10**9)
    if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum <= 0:
        raise PackError("policy.var_max", f"变量“{name}”的 max 应为正整数", loc=spec.loc_of("max"))
    formula = spec.get("formula")
    return VarSpec(
        name=name,
        label=_text(spec, "label"),
        entity=str(spec["entity"]),
        period=period,
        type=Type(kind, 0, name if kind is Kind.ENUM else ""),
        values=tuple(values),
        value_labels=tuple(values.values()),
        max=maximum,
        formula=formula if isinstance(formula, LocStr) else None,
        loc=loc,
    )


def _parameters(folder: Path) -> dict[str, Param]:
    params: dict[str, Param] = {}
    for path in sorted((folder / "parameters").glob("*.yaml")):
        name = str(path.relative_to(folder))
        for param in parse_parameter_tree(load_yaml_file(path, folder), Loc(name)):
            if param.meta.id in params:
                raise PackError(
                    "policy.param_duplicate", f"参数“{param.meta.id}”重复定义", loc=param.meta.loc
                )
            params[param.meta.id] = param
    return params


def _check_tables(params: dict[str, Param], variables: dict[str, VarSpec]) -> None:
    for param in params.values():
        if not isinstance(param, TableParam):
            continue
        spec = variables.get(param.keys)
        if spec is None or spec.type.kind is not Kind.ENUM:
            raise PackError(
                "policy.table_keys", f"查表参数“{param.meta.id}”的 keys 应是一个类别变量", loc=param.meta.loc
            )
        unknown = [key for key in param.rows if key not in spec.values]
        if unknown:
            raise PackError(
                "policy.enum_value",
                f"查表参数“{param.meta.id}”中的“{'、'.join(unknown)}”不是变量“{spec.name}”的取值",
                loc=param.meta.loc,
            )


def _formulas(
    variables: dict[str, VarSpec], params: dict[str, Param], clauses: dict[str, str]
) -> dict[str, Compiled]:
    formulas = {}
    for spec in variables.values():
        if spec.formula is None:
            continue
        compiler = Compiler(variables, params, clauses, entity=spec.entity, period=spec.period)
        compiled = compiler.compile(spec.formula, spec.type.kind, f"变量“{spec.name}”的公式")
        if compiled.root.type.exp:
            raise PackError(
                "policy.formula_precision",
                f"变量“{spec.name}”的公式不能产生分以下的金额，请在条款结果处取整",
                loc=spec.formula.loc,
            )
        formulas[spec.name] = compiled
    return formulas


def _edges(pack: Pack) -> dict[str, list[str]]:
    graph: dict[str, list[str]] = {}
    for name, compiled in pack.formulas.items():
        graph[f"var:{name}"] = [f"{kind}:{dep}" for kind, dep in compiled.deps if kind in ("var", "clause")]
    for clause in pack.clauses.values():
        parts = [clause.amount, *(c.test for c in clause.conditions)]
        parts += [p for e in clause.exceptions for p in (e.when, e.amount)]
        graph[f"clause:{clause.id}"] = sorted(
            {f"{k}:{d}" for part in parts for k, d in part.deps if k in ("var", "clause")}
        )
    return graph


def _check_cycles(pack: Pack) -> None:
    graph = _edges(pack)
    state: dict[str, int] = {}
    for start in sorted(graph):
        for cycle in _dfs(start, graph, state, []):
            names = " → ".join(node.split(":", 1)[1] for node in cycle)
            kind, name = cycle[0].split(":", 1)
            loc = pack.clauses[name].loc if kind == "clause" else pack.variables[name].loc
            raise PackError("policy.cycle", f"条款或变量之间存在循环依赖：{names}", loc=loc)


def _dfs(
    node: str, graph: dict[str, list[str]], state: dict[str, int], path: list[str]
) -> Iterator[list[str]]:
    if state.get(node) == 2:
        return
    if state.get(node) == 1:
        yield path[path.index(node) :] + [node]
        return
    state[node] = 1
    for child in graph.get(node, []):
        yield from _dfs(child, graph, state, path + [node])
    state[node] = 2
