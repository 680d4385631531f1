"""The ``longcheng`` command starts fast: help lists every sub-command without importing them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from longcheng.cli import COMMANDS, app, load

HEAVY = ("sqlalchemy", "argon2", "uvicorn", "openpyxl", "reportlab", "longcheng.core.db", "longcheng.intel")


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_help_imports_no_heavy_module() -> None:
    """`longcheng --help` lists the commands without importing the database, hashing or PDF code."""
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from longcheng.cli import app\n"
        "out = CliRunner().invoke(app, ['--help']).output\n"
        "assert 'registry' in out and 'audit' in out, out\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_importing_users_hashes_nothing() -> None:
    """The login timing equaliser hashes on first use, not at import (argon2 costs ~0.1 s of CPU)."""
    code = (
        "import argon2\n"
        "def boom(*a, **k): raise SystemExit('hashed at import')\n"
        "argon2.PasswordHasher.hash = boom\n"
        "import longcheng.core.users, longcheng.web\n"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_command_loads_with_its_listed_help(name: str) -> None:
    """Every entry of the table loads, and the help shown in the list is the command's own."""
    command = load(name)
    assert (command.help or "").strip().splitlines()[0] == COMMANDS[name].help


def test_sub_command_help_works() -> None:
    """Asking a sub-command for help loads it and shows its own commands."""
    result = CliRunner().invoke(app, ["users", "--help"])
    assert result.exit_code == 0
    assert "create" in result.output
