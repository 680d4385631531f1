"""The list of modules whose tables Alembic owns; importing them registers their models."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "longcheng.core.audit",
    "longcheng.core.users",
    "longcheng.registry.models",
    "longcheng.intel.models",
    "longcheng.policy.models",
    "longcheng.projects.models",
)


def load_models() -> None:
    for name in MODEL_MODULES:
        importlib.import_module(name)
