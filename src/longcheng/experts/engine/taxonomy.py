"""Fields of expertise as data: a code, a Chinese label and synonyms that resolve to the code."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class FieldOfExpertise:
    code: str
    label: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    fields: tuple[FieldOfExpertise, ...]

    def labels(self) -> dict[str, str]:
        return {f.code: f.label for f in self.fields}

    def resolve(self, text: str) -> str | None:
        """The code for a code, a label or a synonym (case and spaces ignored); None if unknown."""
        key = _key(text)
        for f in self.fields:
            if key in {_key(f.code), _key(f.label), *(_key(s) for s in f.synonyms)}:
                return f.code
        return None

    def label(self, code: str) -> str:
        return self.labels().get(code, code)


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def parse(data: dict[str, object]) -> Taxonomy:
    raw = data.get("fields")
    if not isinstance(raw, list):
        raise ValueError("taxonomy: 'fields' must be a list")
    return Taxonomy(
        tuple(
            FieldOfExpertise(str(f["code"]), str(f["label"]), tuple(str(s) for s in f.get("synonyms", [])))
            for f in raw
        )
    )


@cache
def default() -> Taxonomy:
    text = resources.files("longcheng.experts.data").joinpath("fields.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))
