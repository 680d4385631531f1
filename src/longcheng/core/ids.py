"""Identifiers: the 统一社会信用代码 (USCC, GB 32100-2015).

Layout: 1 registration-authority code, 1 entity-type code, 6 administrative-division digits,
9 organisation-code characters, 1 check character. The alphabet has 31 characters (no I, O,
S, V, Z); the check character is ``31 - (Σ value·weight mod 31)`` with 31 mapped to ``0``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


@dataclass(frozen=True)
class UsccProblem:
    code: str
    message: str


def check_char(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_uscc(raw: str) -> str:
    """Upper-case and strip spaces, including full-width ones (people paste codes from PDFs)."""
    text = raw.strip().replace(" ", "").replace("\u3000", "")
    return text.translate({0xFF10 + i: 0x30 + i for i in range(10)}).upper()


def uscc_problem(code: str) -> UsccProblem | None:
    """None when ``code`` is a valid USCC, else what is wrong with it, in Chinese."""
    if len(code) != 18:
        return UsccProblem("uscc.length", f"统一社会信用代码应为18位，实际为{len(code)}位。")
    if not SHAPE.match(code):
        return UsccProblem(
            "uscc.charset",
            "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）或第3–8位不是行政区划数字。",
        )
    expected = check_char(code[:17])
    if code[17] != expected:
        return UsccProblem(
            "uscc.check_digit", f"统一社会信用代码校验位错误：第18位应为“{expected}”，实际为“{code[17]}”。"
        )
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(code) is None


def make_uscc(rng: random.Random, *, division: str = "320400", authority: str = "9", kind: str = "1") -> str:
    """A syntactically valid, fictional USCC (for demo data and tests)."""
    body = authority + kind + division + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + check_char(body)
