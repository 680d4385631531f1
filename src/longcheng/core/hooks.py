"""Announcements between modules that must not import each other.

A module that produces something others read (news facts in ``intel``) publishes a named event
with plain data; a module that reads it (``projects``) subscribes a handler. The wiring lives
above the modules (``longcheng.modules.wire``), so the producer never names its readers and
dependencies keep pointing one way. Handlers run in the publisher's session and transaction,
and answer with a :class:`HookReply` the publisher may show to people without knowing who replied.

The second mechanism is *profile sections* (一企一档): a module that keeps something about a firm
(its projects, policy results, news facts) registers a function ``(session, actor, uscc) ->
ProfileSection | None``; the registry's organisation page shows every section registered,
without naming the modules. Each provider applies its own module's permissions and answers None
when the actor may not see that part of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from longcheng.core.actors import Actor

# intel stored new facts; payload ``fact_ids: Sequence[int]``.
FACTS_STORED = "intel.facts_stored"
# a backup was restored into this database; payload ``tables: Sequence[str]``. Rebuild derived data.
DATA_RESTORED = "platform.data_restored"
# a user read a message of the notification centre; payload ``module``, ``entity_type``,
# ``entity_id`` (its source). The module that sent it marks its own copy read.
NOTIFICATION_READ = "platform.notification_read"


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


# -- profile sections (一企一档) ----------------------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    """One line of a section: its cells as text, and where the line leads (or None)."""

    cells: tuple[str, ...]
    link: str | None = None


@dataclass(frozen=True)
class ProfileSection:
    """A part of a firm's file kept by another module: a Chinese title, a small table and a link."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[ProfileRow, ...]
    link: str | None = None  # the module's own page for the whole story
    link_label: str = "查看全部"
    empty: str = "暂无记录。"
    total: int | None = None  # how many there are when ``rows`` shows only the first few


class ProfileProvider(Protocol):
    def __call__(self, session: Session, actor: Actor, uscc: str) -> ProfileSection | None: ...


_profile_providers: dict[str, tuple[int, ProfileProvider]] = {}


def add_profile_section(name: str, provider: ProfileProvider, *, order: int = 100) -> None:
    """Register ``provider`` under ``name`` (registering the name again replaces it); sections
    show in ``order``, then by name."""
    _profile_providers[name] = (order, provider)


def profile_sections(session: Session, actor: Actor, uscc: str) -> list[ProfileSection]:
    """Every registered section of the firm ``uscc`` that ``actor`` may see, in order."""
    ordered = sorted(_profile_providers.items(), key=lambda item: (item[1][0], item[0]))
    sections = (provider(session, actor, uscc) for _, (_, provider) in ordered)
    return [section for section in sections if section is not None]


_district_source: list[Callable[[], list[tuple[str, str]]]] = []


def set_districts(source: Callable[[], list[tuple[str, str]]]) -> None:
    """Name the gazetteer that lists the districts as ``(code, name)`` (the registry's, wired in
    ``modules.wire()``), so core's forms can offer a district select without importing it."""
    _district_source[:] = [source]


def districts() -> list[tuple[str, str]]:
    """The districts as ``(code, name)``; empty until a gazetteer is wired."""
    return _district_source[0]() if _district_source else []
