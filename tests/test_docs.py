"""Documentation stays true: every setting and every command is named in the README."""

from __future__ import annotations

from pathlib import Path

import typer

from longcheng.cli import app
from longcheng.core.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def test_every_setting_is_documented() -> None:
    """Each LONGCHENG_ setting appears in the README's settings section."""
    missing = [name.upper() for name in Settings.model_fields if name.upper() not in README]
    assert missing == []


def test_readme_first_screen_has_the_two_commands() -> None:
    """The first screen gives exactly `make demo` and `make test`."""
    first = "\n".join(README.splitlines()[:15])
    assert "make demo" in first
    assert "make test" in first


def test_core_commands_are_documented() -> None:
    """The foundation's commands are listed in the README's command-line section."""
    group = typer.main.get_group(app)
    for name in ("db", "users", "audit", "registry", "demo", "serve"):
        assert name in group.commands
        assert f"longcheng {name}" in README
