"""Vocabularies of the projects module kept as data: official lists, cooperation programmes,
ceremony kinds (``data/vocab.yaml``) and project types (the plan templates)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from longcheng.projects.schedule.plans import load_templates
from longcheng.projects.schedule.stages import Stage


@dataclass(frozen=True)
class Programme:
    code: str
    name: str
    partners: tuple[str, ...]


@dataclass(frozen=True)
class CeremonyKind:
    code: str
    name: str
    stage: Stage


@cache
def _vocab() -> dict[str, Any]:
    text = resources.files("longcheng.projects.data").joinpath("vocab.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def official_lists() -> list[str]:
    """The official lists in display order (省重大, 市重大, 区重大, 532, 1231)."""
    return [str(item["name"]) for item in _vocab()["lists"]]


def programmes() -> dict[str, Programme]:
    return {
        p["code"]: Programme(p["code"], p["name"], tuple(p.get("partners") or ()))
        for p in _vocab()["cooperation"]
    }


def ceremony_kinds() -> dict[str, CeremonyKind]:
    return {c["code"]: CeremonyKind(c["code"], c["name"], Stage(c["stage"])) for c in _vocab()["ceremonies"]}


def project_types() -> dict[str, str]:
    return {code: t.label for code, t in load_templates().items()}


def find_code(table: dict[str, str], text: str) -> str | None:
    text = text.strip()
    return text if text in table else next((c for c, label in table.items() if label == text), None)
