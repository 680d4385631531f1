"""Longcheng is Apache-2.0: no locked dependency, direct or indirect, may be under the GPL or AGPL.

An LGPL library used unmodified as a dependency (psycopg) is compatible and allowed.
"""

from __future__ import annotations

import importlib.metadata as md
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "requirements" / "lock.txt"


def locked_names() -> list[str]:
    lines = LOCK.read_text("utf-8").splitlines()
    return [line.split("==")[0].strip() for line in lines if "==" in line and not line.startswith((" ", "#"))]


def licence_text(name: str) -> str:
    meta = md.distribution(name).metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return " ".join([meta.get("License-Expression") or "", (meta.get("License") or "")[:200], *classifiers])


def is_copyleft(text: str) -> bool:
    """GPL or AGPL terms; the Lesser GPL alone is not."""
    upper = text.upper()
    for lesser in ("LGPL", "LESSER GENERAL PUBLIC", "LIBRARY GENERAL PUBLIC"):
        upper = upper.replace(lesser, "")
    return "GPL" in upper or "GENERAL PUBLIC" in upper


def test_copyleft_is_told_from_the_lesser_gpl() -> None:
    """GPL-3.0 and AGPL are refused; LGPL-3.0 (used unmodified) is allowed."""
    assert is_copyleft("GPL-3.0-or-later")
    assert is_copyleft("License :: OSI Approved :: GNU Affero General Public License v3")
    assert not is_copyleft(
        "LGPL-3.0-only License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)"
    )
    assert not is_copyleft("Apache-2.0")


def test_every_locked_package_is_installed_and_not_gpl() -> None:
    """Each package in the lockfile is installed and none carries GPL or AGPL terms."""
    offenders = {}
    for name in locked_names():
        text = licence_text(name)
        if is_copyleft(text):
            offenders[name] = text
    assert offenders == {}
    assert len(locked_names()) > 20
