"""Fixtures for the policy engine: the example pack, and writable copies of it to break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from longcheng.policy.engine.loader import load_pack, pack_dir
from longcheng.policy.engine.pack import Pack


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack()


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the example pack."""
    target = tmp_path / "pack"
    shutil.copytree(pack_dir(), target)
    return target


Editor = Callable[[str, str, str], Path]


@pytest.fixture
def edit(pack_copy: Path) -> Editor:
    """Replace one exact snippet in a file of the pack copy (the snippet must be there once)."""

    def apply(relative: str, old: str, new: str) -> Path:
        path = pack_copy / relative
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {relative}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return pack_copy

    return apply
