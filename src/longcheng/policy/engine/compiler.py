"""From parsed expressions to typed evaluator nodes, checking every name and type at load time.

An unknown name, a monthly variable read from a yearly clause, money multiplied by money, an
enum value that the variable does not declare, or an expression that could overflow int64 is a
``PackError`` pointing at the file, line and column of the offending token.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field

from longcheng.policy.engine import expr as ast
from longcheng.policy.engine import rules as ir
from longcheng.policy.engine.amounts import MAX_MONEY_FEN
from longcheng.policy.engine.errors import Loc, PackError
from longcheng.policy.engine.params import Param, ScalarParam, ScaleParam, TableParam, Unit
from longcheng.policy.engine.periods import PeriodKind
from longcheng.policy.engine.rules import Kind, Type
from longcheng.policy.engine.source import LocStr

INT64_SAFE = 2**62
BOOL = Type(Kind.BOOL)
MONEY = Type(Kind.MONEY)
_UNIT_TYPES = {Unit.FEN: MONEY, Unit.BP: Type(Kind.NUMBER, 4), Unit.COUNT: Type(Kind.NUMBER), Unit.BOOL: BOOL}


@dataclass(frozen=True)
class VarSpec:
    """A declared variable: its entity, period kind, type and, for computed ones, its formula."""

    name: str
    label: str
    entity: str
    period: PeriodKind
    type: Type
    values: tuple[str, ...] = ()
    value_labels: tuple[str, ...] = ()
    max: int = 0
    formula: LocStr | None = None
    loc: Loc = field(default_factory=lambda: Loc(""))

    def code_of(self, value: str) -> int | None:
        return self.values.index(value) if value in self.values else None


@dataclass(frozen=True)
class Compiled:
    root: ir.Expr
    source: str
    deps: frozenset[tuple[str, str]]


class Compiler:
    """Compiles expressions of one clause (or one formula) against the pack's names."""

    def __init__(
        self,
        variables: Mapping[str, VarSpec],
        params: Mapping[str, Param],
        clauses: Mapping[str, str],
        *,
        entity: str,
        period: PeriodKind,
    ) -> None:
        self.variables, self.params, self.clauses = variables, params, clauses
        self.entity, self.period = entity, period
        self.source: LocStr | None = None
        self.deps: set[tuple[str, str]] = set()

    def compile(self, source: str, expect: Kind, what: str) -> Compiled:
        self.source = source if isinstance(source, LocStr) else None
        self.deps = set()
        root = self.node(ast.parse_expression(source))
        if root.type.kind is not expect and not (expect is Kind.MONEY and _is_zero(root)):
            raise self.error(
                root.pos,
                "policy.expr_type",
                f"{what}应为{Type(expect).describe()}，实际是{root.type.describe()}",
            )
        if root.bound > INT64_SAFE:
            raise self.error(
                root.pos, "policy.overflow_risk", f"{what}的数值范围可能超出 64 位整数，请拆分或限制输入"
            )
        return Compiled(root, str(source), frozenset(self.deps))

    def error(self, pos: int, code: str, message: str) -> PackError:
        return PackError(code, message, loc=self.source.at(pos) if self.source is not None else None)

    def node(self, node: ast.Node) -> ir.Expr:
        handler = getattr(self, f"on_{type(node).__name__.lower()}")
        result: ir.Expr = handler(node)
        return result

    def on_number(self, node: ast.Number) -> ir.Expr:
        return ir.Const(node.digits, Type(Kind.MONEY if node.money else Kind.NUMBER, node.exp), node.pos)

    def on_boolean(self, node: ast.Boolean) -> ir.Expr:
        return ir.Const(node.value, BOOL, node.pos)

    def on_text(self, node: ast.Text) -> ir.Expr:
        raise self.error(
            node.pos, "policy.expr_type", f"文字“{node.value}”只能用于 in [...] 或与类别变量比较"
        )

    def on_name(self, node: ast.Name) -> ir.Expr:
        name = node.name
        if name in self.variables:
            return self.var_ref(node, self.variables[name], 0)
        if name in self.clauses:
            self.deps.add(("clause", name))
            return ir.ClauseRef(name, False, MONEY, INT64_SAFE // 2**8, node.pos)
        param = self.params.get(name)
        if isinstance(param, ScalarParam):
            self.deps.add(("param", name))
            bound = max((abs(v.value) for v in param.history.values), default=0)
            return ir.ParamRef(name, _UNIT_TYPES[param.unit], bound, node.pos)
        if param is not None:
            kind = (
                "累进表只能写在 scale(...) 中"
                if isinstance(param, ScaleParam)
                else "查表参数应写成 参数[类别变量]"
            )
            raise self.error(node.pos, "policy.expr_usage", f"参数“{name}”：{kind}")
        raise self.unknown(node.pos, name)

    def unknown(self, pos: int, name: str) -> PackError:
        known = [*self.variables, *self.params, *self.clauses]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"，是否想写“{close[0]}”？" if close else ""
        return self.error(pos, "policy.unknown_name", f"未知的变量、参数或条款“{name}”{hint}")

    def var_ref(self, node: ast.Node, spec: VarSpec, offset: int) -> ir.Expr:
        if spec.entity != self.entity:
            raise self.error(
                node.pos,
                "policy.entity_mismatch",
                f"变量“{spec.name}”属于{spec.entity}，不能用于{self.entity}的条款",
            )
        if spec.period is PeriodKind.MONTH and self.period is PeriodKind.YEAR:
            raise self.error(
                node.pos, "policy.period_mismatch", f"按月的变量“{spec.name}”不能在按年计算的表达式中直接读取"
            )
        self.deps.add(("var", spec.name))
        bound = {Kind.MONEY: MAX_MONEY_FEN, Kind.NUMBER: spec.max}.get(spec.type.kind, len(spec.values) or 1)
        return ir.VarRef(spec.name, spec.period, offset, spec.type, bound, node.pos)

    def on_index(self, node: ast.Index) -> ir.Expr:
        if node.name in self.variables:
            return self.var_ref(node, self.variables[node.name], self.offset(node.index))
        param = self.params.get(node.name)
        if not isinstance(param, TableParam):
            if param is None and node.name not in self.clauses:
                raise self.unknown(node.pos, node.name)
            raise self.error(node.pos, "policy.expr_usage", f"“{node.name}”不是查表参数，不能写 [...]")
        key = self.node(node.index)
        spec = self.variables.get(param.keys)
        if spec is None or key.type != spec.type or key.type.kind is not Kind.ENUM:
            raise self.error(
                node.index.pos, "policy.expr_type", f"查表参数“{node.name}”应按变量“{param.keys}”的类别取值"
            )
        missing = [v for v in spec.values if v not in param.rows]
        if missing:
            raise self.error(
                node.pos, "policy.table_keys", f"查表参数“{node.name}”缺少类别：{'、'.join(missing)}"
            )
        self.deps.add(("param", node.name))
        bound = max(h.max_abs() for h in param.rows.values())
        return ir.TableLookup(node.name, key, spec.values, _UNIT_TYPES[param.unit], bound, node.pos)

    def offset(self, node: ast.Node) -> int:
        if isinstance(node, ast.Unary) and node.op == "-" and isinstance(node.operand, ast.Number):
            if node.operand.exp == 0 and not node.operand.money and 0 < node.operand.digits <= 50:
                return -node.operand.digits
        raise self.error(node.pos, "policy.expr_period", "变量后的 [...] 应是向前的期数，如 [-1] 表示上一期")

    def on_unary(self, node: ast.Unary) -> ir.Expr:
        operand = self.node(node.operand)
        if node.op == "not":
            self.want_bool(operand, "not")
            return ir.Logic("not", (operand,), BOOL, node.pos)
        if not operand.type.numeric:
            raise self.error(node.pos, "policy.expr_type", "负号只能用于金额或数值")
        return ir.Negate(operand, operand.type, operand.bound, node.pos)

    def want_bool(self, node: ir.Expr, op: str) -> None:
        if node.type.kind is not Kind.BOOL:
            raise self.error(
                node.pos, "policy.expr_type", f"“{op}”两侧应为条件（是/否），实际是{node.type.describe()}"
            )

    def on_binary(self, node: ast.Binary) -> ir.Expr:
        left, right = self.node(node.left), self.node(node.right)
        if node.op in ("and", "or"):
            self.want_bool(left, node.op)
            self.want_bool(right, node.op)
            return ir.Logic(node.op, (left, right), BOOL, node.pos)
        if node.op == "*":
            return self.multiply(node, left, right)
        if node.op in ("+", "-"):
            kind = self.common_kind(node, left, right)
            exp = max(left.type.exp, right.type.exp)
            bound = _aligned(left, exp) + _aligned(right, exp)
            return ir.Arith(node.op, left, right, Type(kind, exp), bound, node.pos)
        return self.compare(node, left, right)

    def multiply(self, node: ast.Binary, left: ir.Expr, right: ir.Expr) -> ir.Expr:
        kinds = {left.type.kind, right.type.kind}
        if not kinds <= {Kind.MONEY, Kind.NUMBER} or (
            left.type.kind is Kind.MONEY and right.type.kind is Kind.MONEY
        ):
            raise self.error(node.pos, "policy.expr_type", "乘法只能是 金额×数值 或 数值×数值")
        kind = Kind.MONEY if Kind.MONEY in kinds else Kind.NUMBER
        exp = left.type.exp + right.type.exp
        return ir.Arith("*", left, right, Type(kind, exp), left.bound * right.bound, node.pos)

    def common_kind(self, node: ast.Node, left: ir.Expr, right: ir.Expr) -> Kind:
        if not (left.type.numeric and right.type.numeric):
            raise self.error(node.pos, "policy.expr_type", "只能对金额或数值做加减和比较")
        if left.type.kind == right.type.kind or _is_zero(right):
            return left.type.kind
        if _is_zero(left):
            return right.type.kind
        raise self.error(
            node.pos, "policy.expr_type", "金额不能与不带单位的数值相加减或比较（写成 20万元 或使用参数）"
        )

    def compare(self, node: ast.Binary, left: ir.Expr, right: ir.Expr) -> ir.Expr:
        if isinstance(node.right, ast.Text) or isinstance(node.left, ast.Text):
            return self.enum_compare(node)
        if left.type.kind is Kind.BOOL and right.type.kind is Kind.BOOL and node.op in ("==", "!="):
            return ir.Compare(node.op, left, right, BOOL, node.pos)
        self.common_kind(node, left, right)
        return ir.Compare(node.op, left, right, BOOL, node.pos)

    def enum_compare(self, node: ast.Binary) -> ir.Expr:
        if node.op not in ("==", "!=") or not isinstance(node.right, ast.Text):
            raise self.error(node.pos, "policy.expr_type", '类别只能写成 变量 == "取值" 或 变量 in [...]')
        member = self.on_member(ast.Member(node.pos, node.left, (node.right,)))
        return member if node.op == "==" else ir.Logic("not", (member,), BOOL, node.pos)

    def on_member(self, node: ast.Member) -> ir.Expr:
        operand = self.node(node.operand)
        spec = self.variables.get(operand.type.enum) if operand.type.kind is Kind.ENUM else None
        if spec is None:
            raise self.error(node.pos, "policy.expr_type", "in [...] 左侧应为类别变量")
        codes = []
        for option in node.options:
            code = spec.code_of(option.value)
            if code is None:
                allowed = "、".join(spec.values)
                raise self.error(
                    option.pos,
                    "policy.enum_value",
                    f"“{option.value}”不是“{spec.name}”的取值（可选：{allowed}）",
                )
            codes.append(code)
        return ir.Member(operand, tuple(codes), BOOL, node.pos)

    def on_conditional(self, node: ast.Conditional) -> ir.Expr:
        test, then, otherwise = self.node(node.test), self.node(node.then), self.node(node.otherwise)
        self.want_bool(test, "if")
        if then.type.numeric or otherwise.type.numeric:
            kind = self.common_kind(node, then, otherwise)
            exp = max(then.type.exp, otherwise.type.exp)
            return ir.Choose(
                test,
                then,
                otherwise,
                Type(kind, exp),
                max(_aligned(then, exp), _aligned(otherwise, exp)),
                node.pos,
            )
        if then.type != otherwise.type:
            raise self.error(node.pos, "policy.expr_type", "if 的两个分支类型不一致")
        return ir.Choose(test, then, otherwise, then.type, max(then.bound, otherwise.bound), node.pos)

    def on_call(self, node: ast.Call) -> ir.Expr:
        if node.func == "scale":
            return self.call_scale(node)
        if node.func in ("min", "max"):
            if len(node.args) < 2:
                raise self.error(node.pos, "policy.expr_call", f"{node.func}(...) 至少需要两个参数")
            args = tuple(self.node(a) for a in node.args)
            kinds = {a.type.kind for a in args if not _is_zero(a)}
            if len(kinds) > 1 or not all(a.type.numeric for a in args):
                raise self.error(node.pos, "policy.expr_type", f"{node.func}(...) 的参数应同为金额或同为数值")
            kind = kinds.pop() if kinds else Kind.NUMBER
            exp = max(a.type.exp for a in args)
            return ir.Extreme(node.func, args, Type(kind, exp), max(_aligned(a, exp) for a in args), node.pos)
        if node.func == "qualifies":
            if (
                len(node.args) != 1
                or not isinstance(node.args[0], ast.Name)
                or node.args[0].name not in self.clauses
            ):
                raise self.error(node.pos, "policy.expr_call", "qualifies(...) 的参数应是一个条款编号")
            self.deps.add(("clause", node.args[0].name))
            return ir.ClauseRef(node.args[0].name, True, BOOL, 1, node.pos)
        raise self.error(
            node.pos,
            "policy.unknown_function",
            f"未知的函数“{node.func}”（可用：scale、min、max、qualifies）",
        )

    def call_scale(self, node: ast.Call) -> ir.Expr:
        if len(node.args) != 2 or not isinstance(node.args[0], ast.Name):
            raise self.error(node.pos, "policy.expr_call", "scale(...) 应写成 scale(累进表参数, 金额)")
        name = node.args[0].name
        param = self.params.get(name)
        if not isinstance(param, ScaleParam):
            raise self.error(node.args[0].pos, "policy.expr_call", f"“{name}”不是累进表参数")
        base = self.node(node.args[1])
        if base.type.kind is not Kind.MONEY:
            raise self.error(node.args[1].pos, "policy.expr_type", "scale(...) 的计算基数应为金额")
        self.deps.add(("param", name))
        max_threshold = max(b.threshold.max_abs() for b in param.brackets)
        max_rate = max(b.rate.max_abs() for b in param.brackets)
        bound = (base.bound + max_threshold * 10**base.type.exp) * max(max_rate, 1)
        return ir.Scale(name, base, Type(Kind.MONEY, base.type.exp + 4), bound, node.pos)


def _is_zero(node: ir.Expr) -> bool:
    return isinstance(node, ir.Const) and node.type.kind is Kind.NUMBER and node.value == 0


def _aligned(node: ir.Expr, exp: int) -> int:
    factor: int = 10 ** (exp - node.type.exp)
    return int(node.bound) * factor
