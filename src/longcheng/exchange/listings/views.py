"""Plain JSON shapes of listings shared by the API and the pages (amounts in fen and in 元 text)."""

from __future__ import annotations

from typing import Any

from longcheng.core.clock import format_local
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.listings.service import STATUS_LABELS
from longcheng.exchange.rulebook import book


def class_label(code: str) -> str:
    c = book.load().classes.get(code)
    return c.label if c else code


def listing_json(listing: Listing) -> dict[str, Any]:
    return {
        "code": listing.code,
        "title": listing.title,
        "asset_class": listing.asset_class,
        "asset_class_label": class_label(listing.asset_class),
        "mode": listing.mode,
        "mode_label": book.load().modes.get(listing.mode, listing.mode),
        "status": listing.status,
        "status_label": STATUS_LABELS.get(listing.status, listing.status),
        "region": listing.region,
        "seller_name": listing.seller_name,
        "start_fen": listing.start_fen,
        "appraisal_fen": listing.appraisal_fen,
        "step_fen": listing.step_fen,
        "deposit_fen": listing.deposit_fen,
        "rules_version": listing.rules_version,
        "disclosure_start": listing.disclosure_start.isoformat() if listing.disclosure_start else None,
        "disclosure_end": listing.disclosure_end.isoformat() if listing.disclosure_end else None,
        "disclosure_note": listing.disclosure_note,
        "auction_start": format_local(listing.auction_start, "%Y-%m-%d %H:%M:%S")
        if listing.auction_start
        else None,
        "attempt": listing.attempt,
        "status_reason": listing.status_reason,
    }
