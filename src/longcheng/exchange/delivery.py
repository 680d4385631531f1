"""交割 documents: checked and kept in the file store before the transfer is recorded, and given
back to the institution's staff and to the buyer (or the member that acted for it).

``bidding.results.deliver`` records each document's name, size and SHA-256 on the lot; the
bytes live under that hash in ``<data_dir>/files`` (:mod:`longcheng.exchange.files`). The seller
is not a login of the platform: the institution's operators hand the papers to it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.errors import NotFound
from longcheng.exchange import files
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder, MemberOperator

MISSING = "未找到该交割文件。"


def store_documents(root: Path, documents: list[tuple[str, bytes]], *, max_bytes: int) -> list[files.Stored]:
    """Check every document first (type PDF/PNG/JPG, size), then keep them; one bad file keeps none."""
    for name, data in documents:
        files.check(name, data, max_bytes=max_bytes)
    return [files.store(root, name, data, max_bytes=max_bytes) for name, data in documents]


def documents_of(lot: Lot) -> list[dict[str, Any]]:
    """The documents recorded with the lot's 交割 (name, sha256, size), oldest first."""
    if not lot.delivery_note:
        return []
    try:
        docs = json.loads(lot.delivery_note).get("documents", [])
    except (ValueError, AttributeError):
        return []
    return [d for d in docs if isinstance(d, dict) and "sha256" in d]


def _is_party(session: Session, actor: Actor, lot: Lot, listing: Listing) -> bool:
    if actor.role in (Role.admin, Role.auditor):
        return True
    if actor.role is Role.operator:
        inst = parties.institution_of(session, actor)
        return inst is not None and inst.id == listing.institution_id
    if actor.role is not Role.bidder or lot.leader_reg_id is None or actor.id is None:
        return False
    reg = session.get(Registration, lot.leader_reg_id)
    if reg is None:
        return False
    buyer = session.scalar(select(Bidder.user_id).where(Bidder.id == reg.bidder_id))
    member = session.scalar(select(MemberOperator.member_id).where(MemberOperator.user_id == actor.id))
    return buyer == actor.id or (member is not None and member == reg.member_id)


def document(
    session: Session, *, actor: Actor, lot: Lot, listing: Listing, sha256: str, root: Path
) -> tuple[dict[str, Any], bytes]:
    """One 交割 document for the staff of the institution or the buyer; others learn nothing."""
    doc = next((d for d in documents_of(lot) if d["sha256"] == sha256), None)
    if doc is None or not _is_party(session, actor, lot, listing):
        raise NotFound(MISSING, code="exchange.delivery_document_not_found")
    return doc, files.read(root, sha256)
