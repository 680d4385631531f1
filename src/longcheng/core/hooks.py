"""Announcements between modules that must not import each other.

A module that produces something others read (news facts in ``intel``) publishes a named event
with plain data; a module that reads it (``projects``) subscribes a handler. The wiring lives
above the modules (``longcheng.modules.wire``), so the producer never names its readers and
dependencies keep pointing one way. Handlers run in the publisher's session and transaction,
and answer with a :class:`HookReply` the publisher may show to people without knowing who replied.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor

# intel stored new facts; payload ``fact_ids: Sequence[int]``.
FACTS_STORED = "intel.facts_stored"
# a backup was restored into this database; payload ``tables: Sequence[str]``. Rebuild derived data.
DATA_RESTORED = "platform.data_restored"


@dataclass(frozen=True)
class HookReply:
    """What a subscriber did: a Chinese line for people and counts for programs."""

    module: str
    summary: str
    counts: dict[str, int] = field(default_factory=dict)


class Handler(Protocol):
    def __call__(self, session: Session, *, actor: Actor, **payload: Any) -> HookReply | None: ...


_handlers: dict[str, dict[str, Handler]] = {}


def subscribe(event: str, name: str, handler: Handler) -> None:
    """Register ``handler`` for ``event`` under ``name``; subscribing the same name again replaces it."""
    _handlers.setdefault(event, {})[name] = handler


def subscribers(event: str) -> list[str]:
    return sorted(_handlers.get(event, {}))


def publish(event: str, session: Session, *, actor: Actor, **payload: Any) -> list[HookReply]:
    """Call every subscriber of ``event`` in order of name; a subscriber's error propagates."""
    replies: list[HookReply] = []
    for name in sorted(_handlers.get(event, {})):
        reply = _handlers[event][name](session, actor=actor, **payload)
        if reply is not None:
            replies.append(reply)
    return replies


def count(replies: Sequence[HookReply], key: str) -> int:
    return sum(r.counts.get(key, 0) for r in replies)
