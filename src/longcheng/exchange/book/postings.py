"""Accounts, postings and the checks that keep the deposit ledger whole.

Accounts are named by code. ``bank`` is the institution's settlement account (an asset: its
balance is the sum of its postings). Every other account is something the institution owes
(a liability: its balance is minus the sum): a bidder's ``available`` money, money ``frozen``
for one registration, money awaiting refund, unmatched bank money held in ``suspense``, the
price payable to a seller, forfeited deposits. No balance may go below zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BANK = "bank"
SUSPENSE = "suspense"
FORFEITED = "forfeited"


def available(bidder_id: int) -> str:
    return f"bidder:{bidder_id}:available"


def frozen(registration_id: int) -> str:
    return f"reg:{registration_id}:frozen"


def refunding(bidder_id: int) -> str:
    return f"bidder:{bidder_id}:refunding"


def price(listing_id: int) -> str:
    return f"listing:{listing_id}:price"


@dataclass(frozen=True)
class Posting:
    account: str
    amount_fen: int  # debit > 0, credit < 0


def is_asset(account: str) -> bool:
    return account == BANK


def balance_of(account: str, raw_sum: int) -> int:
    """The balance people read: an asset's debit sum, a liability's credit sum."""
    return raw_sum if is_asset(account) else -raw_sum


class Unbalanced(ValueError):
    """Postings that do not sum to zero, or that overdraw an account."""


def move(debit: str, credit: str, amount_fen: int) -> list[Posting]:
    """Move ``amount_fen`` from the liability/asset ``debit`` to ``credit`` (two postings)."""
    if amount_fen <= 0:
        raise Unbalanced("amount must be positive")
    return [Posting(debit, amount_fen), Posting(credit, -amount_fen)]


def check(postings: Iterable[Posting], balances: Mapping[str, int]) -> dict[str, int]:
    """New balances after ``postings`` or :class:`Unbalanced`; ``balances`` are as people read them."""
    plist = list(postings)
    if sum(p.amount_fen for p in plist) != 0:
        raise Unbalanced("postings do not sum to zero")
    new = dict(balances)
    for p in plist:
        delta = p.amount_fen if is_asset(p.account) else -p.amount_fen
        new[p.account] = new.get(p.account, 0) + delta
        if new[p.account] < 0:
            raise Unbalanced(f"account {p.account} would go below zero")
    return new


@dataclass(frozen=True)
class Report:
    entries: int
    postings: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(rows: Iterable[tuple[int, str, int]], stored: Mapping[str, int]) -> Report:
    """Re-add a ledger from ``(entry_id, account, amount_fen)`` rows and compare stored balances."""
    per_entry: dict[int, int] = defaultdict(int)
    raw: dict[str, int] = defaultdict(int)
    count = 0
    for entry_id, account, amount in rows:
        per_entry[entry_id] += amount
        raw[account] += amount
        count += 1
    unbalanced = [(e, s) for e, s in per_entry.items() if s]
    return check_sums(Sums(len(per_entry), count, unbalanced, dict(raw)), stored)


@dataclass(frozen=True)
class Sums:
    """A ledger added up (by the database or by :func:`verify`): counts, entries that do not
    sum to zero, and the raw posting sum of every account."""

    entries: int
    postings: int
    unbalanced: list[tuple[int, int]]
    raw: dict[str, int]


def check_sums(sums: Sums, stored: Mapping[str, int]) -> Report:
    """Every entry balances; no balance is negative; each stored balance equals its postings;
    the bank holds exactly what is owed to everyone."""
    problems = [f"分录 {e} 借贷不平（差额 {s} 分）" for e, s in sums.unbalanced]
    raw = sums.raw
    for account in sorted(raw.keys() | stored.keys()):
        bal = balance_of(account, raw.get(account, 0))
        if bal < 0:
            problems.append(f"账户 {account} 余额为负（{bal} 分）")
        if stored.get(account, 0) != bal:
            problems.append(f"账户 {account} 记载余额 {stored.get(account, 0)} 分，与分录合计 {bal} 分不符")
    owed = sum(balance_of(a, s) for a, s in raw.items() if not is_asset(a))
    if owed != raw.get(BANK, 0):
        problems.append(f"银行存款 {raw.get(BANK, 0)} 分与应付合计 {owed} 分不符")
    return Report(entries=sums.entries, postings=sums.postings, problems=problems)
