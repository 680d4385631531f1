"""The ranker's input and output records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Doc:
    """A challenge or a capability: ``{"id", "title", "text"}`` plus optional field and org."""

    id: str
    title: str
    text: str = ""
    field: str | None = None
    org: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Doc:
        """Build from one JSON line's object; missing title or text count as empty."""
        return cls(
            id=str(data["id"]),
            title=str(data.get("title") or ""),
            text=str(data.get("text") or ""),
            field=(str(data["field"]) if data.get("field") else None),
            org=(str(data["org"]) if data.get("org") else None),
        )


@dataclass(slots=True)
class Match:
    """One ranked capability (or challenge) with its score and the reasons, in Chinese."""

    id: str
    score: float
    why: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The output shape of ``longcheng matching rank --json``."""
        return {"id": self.id, "score": self.score, "why": self.why}
