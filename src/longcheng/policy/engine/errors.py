"""Errors of the policy engine: a stable ``code`` for programs, a Chinese message for people.

Pack errors carry the file, line and column (1-based) so that a policy officer can open the
YAML at the right place; the location is appended to the message and kept in ``details``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from longcheng.core.errors import LongchengError


@dataclass(frozen=True)
class Loc:
    """A place in a pack file; ``line`` and ``column`` are 1-based, 0 when unknown."""

    file: str
    line: int = 0
    column: int = 0

    def describe(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file} 第 {self.line} 行第 {self.column} 列"

    def shifted(self, lines: int, column: int) -> Loc:
        return Loc(self.file, self.line + lines, column)


class PolicyError(LongchengError):
    """Any error of a policy pack, its inputs or its evaluation."""

    code = "policy.error"
    status = 422
    message = "政策规则或输入有误。"

    def __init__(
        self,
        code: str,
        message: str,
        *,
        loc: Loc | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        body = dict(details or {})
        if loc is not None:
            body.update({"file": loc.file, "line": loc.line, "column": loc.column})
            message = f"{message}（{loc.describe()}）"
        super().__init__(message, code=code, details=body)
        self.loc = loc


class PackError(PolicyError):
    """A pack that cannot be loaded: reported at load time, never in the middle of a run."""

    code = "policy.pack_invalid"
    message = "政策包有误。"


class InputError(PolicyError):
    """An input value (amount, enum, period) that the engine refuses."""

    code = "policy.input_invalid"
    message = "输入有误。"


class EvaluationError(PolicyError):
    """A condition met while evaluating: missing parameter value, conflicting exceptions."""

    code = "policy.evaluation_failed"
    message = "政策计算失败。"
