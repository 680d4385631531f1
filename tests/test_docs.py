"""Documentation stays true: every setting and every command is named in the README."""

from __future__ import annotations

import importlib.util
import re
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
    listed = group.list_commands(typer.Context(group))
    for name in ("db", "users", "audit", "registry", "demo", "serve"):
        assert name in listed
        assert f"longcheng {name}" in README


def test_readme_links_stay_inside_the_repository() -> None:
    """A person who clones the repository can follow every link in the README and the docs."""
    root = Path(__file__).resolve().parents[1]
    for page in [root / "README.md", root / "CONTRIBUTING.md", *sorted((root / "docs").glob("*.md"))]:
        text = page.read_text("utf-8")
        for target in re.findall(r"\]\(([^)#]+)", text):
            if "://" in target:
                continue
            path = (page.parent / target).resolve()
            assert path.is_relative_to(root), f"{page.name} links outside the repository: {target}"
            assert path.exists(), f"{page.name} links to a missing file: {target}"


def test_architecture_tree_matches_the_source() -> None:
    """docs/architecture.md draws the package tree as it is (redraw with `make docs`)."""
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("docs_tree", root / "scripts" / "docs_tree.py")
    assert spec is not None
    assert spec.loader is not None
    tree = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tree)
    assert tree.current() == tree.drawing(), "docs/architecture.md is stale: run `make docs`"
