"""Job kinds: which handler runs a kind, and the contract every handler keeps.

The contract:

* A handler is ``handler(ctx)``; it reads ``ctx.params`` (plain JSON) and reports with
  ``ctx.progress(pct, "中文状态")``, which raises :class:`JobCancelled` once someone asked to
  cancel (cooperative: check ``ctx.cancelled()`` between steps that do not report).
* It owns short transactions (``with ctx.unit_of_work() as session: ...``); never one long one.
  Long reads (an export, a population) use ``with ctx.reading() as session``, which takes no
  write lock and is rolled back at the end.
* It is **idempotent by** ``ctx.key``: a job found running after its worker died is failed and
  may be retried with the same key, so a handler writes its effects keyed by it (or checks
  whether they exist for it) and writes them in one transaction at the end, never half.
* Refusals raise :class:`JobFailed` (or any ``LongchengError``) with a Chinese message; a
  missing input file fails the job with its name; anything else is a bug, shown as 内部错误.
* ``ctx.store_result(data, "文件名.xlsx")`` keeps the result file (content-addressed under
  ``DATA_DIR``); the 任务中心 offers it for download.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from sqlalchemy.orm import Session, sessionmaker

from longcheng.core.config import Settings
from longcheng.core.errors import LongchengError


class JobFailed(LongchengError):
    """A handler refuses to go on; the message is shown on the job."""

    code: ClassVar[str] = "jobs.failed"
    status: ClassVar[int] = 422
    message: ClassVar[str] = "任务执行失败。"


class JobCancelled(Exception):
    """Raised inside a handler when the job was asked to stop."""


class JobContext(Protocol):
    """What a handler receives (the worker's implementation is ``worker.RunContext``)."""

    job_id: int
    kind: str
    key: str
    params: dict[str, Any]
    started_by: int | None

    @property
    def settings(self) -> Settings: ...

    def progress(self, pct: int, status: str) -> None: ...

    def cancelled(self) -> bool: ...

    def unit_of_work(self) -> AbstractContextManager[Session]: ...

    def reading(self) -> AbstractContextManager[Session]: ...

    def store_result(self, data: bytes, name: str) -> str: ...


Handler = Callable[[JobContext], None]


@dataclass(frozen=True)
class Kind:
    name: str
    handler: Handler
    label: str


_KINDS: dict[str, Kind] = {}


def register(kind: str, handler: Handler, *, label: str) -> None:
    """Declare the handler of ``kind`` (calling it again with the same handler is harmless)."""
    existing = _KINDS.get(kind)
    if existing is not None and existing.handler is not handler:
        raise ValueError(f"job kind {kind!r} registered twice with different handlers")
    _KINDS[kind] = Kind(kind, handler, label)


def get(kind: str) -> Kind | None:
    return _KINDS.get(kind)


def label_of(kind: str) -> str:
    found = _KINDS.get(kind)
    return found.label if found is not None else kind


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.name)


LoopFn = Callable[[sessionmaker[Session]], int]


@dataclass(frozen=True)
class Loop:
    """A sub-second loop the worker runs in its own thread (a deadline that cannot wait for the
    minute tick, e.g. the exchange's closer): ``fn(sessions)`` does one round and returns how
    many things it did; it owns its transactions."""

    name: str
    fn: LoopFn
    interval: float
    label: str


_LOOPS: dict[str, Loop] = {}


def register_loop(name: str, fn: LoopFn, *, interval: float, label: str) -> None:
    """Declare a loop the worker runs every ``interval`` seconds (again with the same fn: harmless)."""
    existing = _LOOPS.get(name)
    if existing is not None and existing.fn is not fn:
        raise ValueError(f"worker loop {name!r} registered twice with different functions")
    _LOOPS[name] = Loop(name, fn, interval, label)


def all_loops() -> list[Loop]:
    return sorted(_LOOPS.values(), key=lambda lp: lp.name)
