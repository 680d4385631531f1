"""Turning an upload into an attachment row: check (``engine.files``), keep (``core.files``), add."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from longcheng.core.actors import Actor
from longcheng.core.errors import PayloadTooLarge, ValidationFailed
from longcheng.core.files import FileStore
from longcheng.grants.attachments.models import AttachmentColumns
from longcheng.grants.engine import files

A = TypeVar("A", bound=AttachmentColumns)
MB = 1024 * 1024


def clean_name(name: str) -> str:
    """The file's own name without any folder, at most 200 characters."""
    return Path(name.replace("\\", "/")).name[:200] or "附件"


def _rule(spec: Mapping[str, object]) -> tuple[list[str], int]:
    """The types and byte limit an item takes (``types``, ``max_mb``; PDF up to 10 MB if unset)."""
    types = spec.get("types")
    kinds = [str(t) for t in types] if isinstance(types, list | tuple) else ["pdf"]
    return kinds, int(str(spec.get("max_mb", 10))) * MB


def attach(
    session: Session, row: A, *, actor: Actor, name: str, data: bytes, root: Path, spec: Mapping[str, object]
) -> A:
    """Fill ``row`` (already owned: its owner id and item set) from a checked upload and add it.
    ``spec`` is the item's rule (``types`` judged by the bytes, ``max_mb``). Refused with a stable
    code (``grants.file_*``), keeping nothing, when type, size or content is wrong."""
    allowed, max_bytes = _rule(spec)
    kind, problem = files.check(name, data, allowed=allowed, max_bytes=max_bytes)
    if problem is not None:
        error = PayloadTooLarge if problem.code == "grants.file_too_large" else ValidationFailed
        raise error(problem.message, code=problem.code, details={"file": problem.message})
    row.name, row.sha256, row.size = clean_name(name), FileStore(root).put(data), len(data)
    row.media_type, row.uploaded_by = files.MEDIA[kind], actor.label
    session.add(row)
    session.flush()
    return row


def described(row: AttachmentColumns) -> str:
    """How the audit trail names an attachment: its name and SHA-256."""
    return f"{row.name}（sha256:{row.sha256}）"


def attachments_of(
    session: Session, model: type[A], owner: InstrumentedAttribute[int], owner_id: int
) -> list[A]:
    """The owner's attachments, oldest first."""
    return list(session.scalars(select(model).where(owner == owner_id).order_by(model.id)))
