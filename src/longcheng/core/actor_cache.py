"""Who a bearer token or a session cookie belongs to, remembered for a moment in each process.

Finding the user behind a request costs a hash, a database session and a join on every
request (a fifth of a list request's work). The answer is kept here for at most
:data:`TTL_SECONDS` (2 s), per process, for at most :data:`MAX_ENTRIES` credentials:

* a change recorded in this process (any audit record: a token revoked, a session ended, a
  user deactivated, locked out or given another role) empties the cache at once, so the
  process that made the change never answers from an older state;
* another worker process notices the change within :data:`TTL_SECONDS` at most: a revoked token,
  an ended session or a deactivated user still opens pages there for up to two seconds.

Failures (an unknown token, an ended session) are never kept; they are looked up every time.
"""

from __future__ import annotations

import hashlib
import threading
import time

from longcheng.core import audit
from longcheng.core.actors import Actor

TTL_SECONDS = 2.0
MAX_ENTRIES = 10_000

_lock = threading.Lock()
_entries: dict[str, tuple[float, int, Actor]] = {}


def key_of(kind: str, credential: str) -> str:
    """The cache key of a credential (its SHA-256: the secret itself is not kept)."""
    return hashlib.sha256(f"{kind}:{credential}".encode("utf-8", "replace")).hexdigest()


def get(key: str) -> Actor | None:
    """The actor kept for ``key``, unless too old or a change was recorded here since."""
    with _lock:
        entry = _entries.get(key)
    if entry is None:
        return None
    expires, seen, actor = entry
    if time.monotonic() >= expires or seen != audit.changes_seen():
        return None
    return actor


def put(key: str, actor: Actor, seen: int) -> None:
    """Keep ``actor`` for ``key``; ``seen`` is :func:`audit.changes_seen` before the look-up, so
    a change recorded during the look-up makes the entry stale at once."""
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (time.monotonic() + TTL_SECONDS, seen, actor)


def clear() -> None:
    with _lock:
        _entries.clear()
