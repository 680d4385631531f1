"""Officer-readable test cases next to the pack (``tests/*.yaml``), exact to the fen.

Each case names a clause, a period, the inputs (money in yuan, as typed) and the expected
output: ``qualifies``, ``amount`` (yuan, exact: no error margin), optionally ``reason``,
``exception`` (``general`` or an exception id) and ``reading``; or ``error`` with the expected
error code (e.g. ``policy.exception_conflict``). ``longcheng policy test`` and the pytest suite
both run them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from longcheng.policy.engine.amounts import decimal_yuan_to_fen, fen_to_yuan, parse_fen
from longcheng.policy.engine.errors import Loc, PackError, PolicyError
from longcheng.policy.engine.evaluate import Evaluation
from longcheng.policy.engine.inputs import single_inputs
from longcheng.policy.engine.pack import Pack
from longcheng.policy.engine.periods import parse_period
from longcheng.policy.engine.source import LocDict, LocList, load_yaml_file

_OUTPUT_KEYS = {"qualifies", "amount", "reason", "exception"}


@dataclass(frozen=True)
class Case:
    name: str
    clause: str
    period: str
    reading: str | None
    inputs: dict[str, Any] = field(hash=False)
    expected: dict[str, Any] = field(hash=False)
    error: str | None
    loc: Loc


@dataclass(frozen=True)
class CaseResult:
    case: Case
    passed: bool
    problems: tuple[str, ...]


def load_cases(pack: Pack, folder: Path | None = None) -> list[Case]:
    """Every case in the pack's ``tests/`` folder (or ``folder``), in file order."""
    root = folder or pack.root / "tests"
    cases: list[Case] = []
    for path in sorted(root.glob("*.yaml")):
        data = load_yaml_file(path, pack.root)
        if not isinstance(data, LocList):
            raise PackError("policy.case_shape", "测试文件的顶层应是用例列表", loc=Loc(str(path.name)))
        cases.extend(_case(item, data.locs[i]) for i, item in enumerate(data))
    return cases


def _case(item: Any, loc: Loc) -> Case:
    if not isinstance(item, LocDict) or not {"name", "clause", "period", "input"} <= item.keys():
        raise PackError(
            "policy.case_shape", "每个用例需要 name、clause、period、input 和 output（或 error）", loc=loc
        )
    output = item.get("output") or {}
    error = item.get("error")
    if not isinstance(output, dict) or (not output and error is None) or not set(output) <= _OUTPUT_KEYS:
        raise PackError("policy.case_shape", f"output 只能包含 {'、'.join(sorted(_OUTPUT_KEYS))}", loc=loc)
    inputs = item["input"]
    if not isinstance(inputs, dict):
        raise PackError("policy.case_shape", "input 应是 变量: 值 的映射", loc=loc)
    return Case(
        name=str(item["name"]),
        clause=str(item["clause"]),
        period=str(item["period"]),
        reading=str(item["reading"]) if item.get("reading") else None,
        inputs=dict(inputs),
        expected=dict(output),
        error=str(error) if error else None,
        loc=loc,
    )


def _fen(value: Any) -> int:
    if isinstance(value, bool):
        raise PackError("policy.case_shape", "amount 应为金额（元）")
    if isinstance(value, int | Decimal):
        return decimal_yuan_to_fen(Decimal(value))
    return parse_fen(str(value))


def run_case(pack: Pack, case: Case) -> CaseResult:
    """Evaluate one case and compare exactly; an unexpected error is a failure, not a crash."""
    try:
        period = parse_period(case.period)
        clause = pack.clause(case.clause)
        inputs = single_inputs(pack, case.inputs, period, clause.entity)
        readings = {case.clause: case.reading} if case.reading else None
        outcome = Evaluation(pack, inputs, period, readings=readings).clause(case.clause)
    except PolicyError as exc:
        if case.error == exc.code_text:
            return CaseResult(case, True, ())
        return CaseResult(case, False, (f"计算出错：{exc.code_text} {exc.message_text}",))
    problems = []
    reason = outcome.reason_codes[int(outcome.reason[0])]
    if case.error is not None:
        problems.append(f"应报错 {case.error}，实际未报错")
        if case.error == "policy.exception_conflict" and reason == "exception_conflict":
            problems.clear()
    expected = case.expected
    if "qualifies" in expected and bool(outcome.qualifies[0]) != bool(expected["qualifies"]):
        problems.append(f"是否符合：应为 {expected['qualifies']}，实际为 {bool(outcome.qualifies[0])}")
    if "amount" in expected:
        want, got = _fen(expected["amount"]), int(outcome.amount_fen[0])
        if want != got:
            problems.append(f"金额：应为 {fen_to_yuan(want)} 元，实际为 {fen_to_yuan(got)} 元")
    if "reason" in expected and reason != str(expected["reason"]):
        problems.append(f"原因：应为 {expected['reason']}，实际为 {reason}")
    if "exception" in expected:
        index = int(outcome.exception[0])
        applied = "general" if index < 0 else clause.exceptions[index].id
        if applied != str(expected["exception"]):
            problems.append(f"适用规则：应为 {expected['exception']}，实际为 {applied}")
    return CaseResult(case, not problems, tuple(problems))


def run_cases(pack: Pack, folder: Path | None = None) -> list[CaseResult]:
    return [run_case(pack, case) for case in load_cases(pack, folder)]
