"""Longcheng is Apache-2.0: no locked dependency, direct or indirect, may be under a GPL-family licence."""

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


def test_every_locked_package_is_installed_and_not_gpl() -> None:
    """Each package in the lockfile is installed and none carries GPL, LGPL or AGPL terms."""
    offenders = {}
    for name in locked_names():
        text = licence_text(name)
        if "GPL" in text.upper() or "GENERAL PUBLIC" in text.upper():
            offenders[name] = text
    assert offenders == {}
    assert len(locked_names()) > 20
