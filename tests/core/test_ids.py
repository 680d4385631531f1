"""The USCC check digit (GB 32100-2015)."""

from __future__ import annotations

import random

import pytest

from longcheng.core.ids import ALPHABET, make_uscc, normalise_uscc, uscc_problem


def test_generated_codes_are_valid() -> None:
    """Every code the demo generator makes passes the check."""
    rng = random.Random(1)
    assert all(uscc_problem(make_uscc(rng)) is None for _ in range(500))


def test_known_valid_code() -> None:
    """A real-shaped code with a correct check character is accepted."""
    assert uscc_problem("91320411MA1XXXXXX5") is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91320411MA1XXXXXX6", "uscc.check_digit"),
        ("91320411MA1XXXXX", "uscc.length"),
        ("91320411MA1XXXXXIO", "uscc.charset"),
    ],
)
def test_bad_codes_say_what_is_wrong(code: str, problem: str) -> None:
    """A wrong check digit is reported as such, with the expected character named."""
    found = uscc_problem(code)
    assert found is not None
    assert found.code == problem
    if problem == "uscc.check_digit":
        assert "应为“5”" in found.message


def test_every_wrong_last_character_is_caught() -> None:
    """Changing the check character to any other allowed one is detected."""
    good = "91320411MA1XXXXXX5"
    for ch in ALPHABET:
        if ch != "5":
            assert uscc_problem(good[:17] + ch) is not None


def test_normalise_full_width_and_spaces() -> None:
    """Codes pasted with spaces, lower case or full-width digits are normalised."""
    assert normalise_uscc(" ９1320411ma1xxxxxx5 ") == "91320411MA1XXXXXX5"
