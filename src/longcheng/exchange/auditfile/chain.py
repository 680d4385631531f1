"""Hash chain over the accepted bids of one lot, and the audit file built from it.

Each bid's hash is ``sha256(prev_hash | lot | seq | bidder_no | amount_fen | at)``; the first
bid links to sixty-four zeros. Altering, removing or reordering any bid changes every hash
after it, so :func:`verify` names the first bid where the chain breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
FORMAT = "longcheng.exchange.audit/1"


@dataclass(frozen=True)
class BidLine:
    seq: int
    bidder_no: str
    amount_fen: int
    at: str  # ISO 8601 UTC with microseconds
    prev_hash: str
    hash: str


def link(prev_hash: str, *, lot: str, seq: int, bidder_no: str, amount_fen: int, at: str) -> str:
    payload = f"{prev_hash}|{lot}|{seq}|{bidder_no}|{amount_fen}|{at}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def render(header: Mapping[str, Any], bids: Iterable[BidLine]) -> bytes:
    """The audit file: a header (lot, result) and every bid with its chain link, as JSON."""
    lines = [b.__dict__ for b in bids]
    body = {"format": FORMAT, **header, "bids": lines, "head": lines[-1]["hash"] if lines else GENESIS}
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    bids: int
    message: str


def _check_order(lot: str, bids: Sequence[Mapping[str, Any]]) -> Verdict | None:
    prev = GENESIS
    for i, b in enumerate(bids, start=1):
        if b.get("seq") != i:
            return Verdict(False, i - 1, f"第 {i} 条报价的序号为 {b.get('seq')}，序号不连续。")
        if b.get("prev_hash") != prev:
            return Verdict(False, i - 1, f"第 {i} 条报价的前序哈希不符，哈希链断裂。")
        expected = link(
            prev,
            lot=lot,
            seq=i,
            bidder_no=str(b["bidder_no"]),
            amount_fen=int(b["amount_fen"]),
            at=str(b["at"]),
        )
        if b.get("hash") != expected:
            return Verdict(False, i - 1, f"第 {i} 条报价的内容与哈希不符，记录被改动过。")
        prev = expected
    return None


def verify(data: bytes) -> Verdict:
    """Check a downloaded audit file: format, sequence, every link and the head."""
    try:
        body = json.loads(data.decode("utf-8"))
        lot, bids = str(body["lot"]), list(body["bids"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return Verdict(False, 0, "文件不是有效的竞价审计文件（JSON 格式或字段缺失）。")
    if body.get("format") != FORMAT:
        return Verdict(False, 0, "文件格式版本不符。")
    try:
        broken = _check_order(lot, bids)
    except (KeyError, ValueError, TypeError):
        return Verdict(False, 0, "报价记录缺少字段。")
    if broken is not None:
        return broken
    head = bids[-1]["hash"] if bids else GENESIS
    if body.get("head") != head:
        return Verdict(False, len(bids), "文件末尾的链头哈希与最后一条报价不符。")
    return Verdict(True, len(bids), f"校验通过：共 {len(bids)} 条报价，哈希链完整。")
