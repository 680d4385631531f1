"""``longcheng worker``: the huey consumer, the job runner, heartbeats and recovery.

At start the worker fails the jobs left running by a dead worker (found running with a stale
heartbeat, or owned by a process of this host that no longer exists), loads the schedules and
runs one tick (catch-up: a run due while no worker ran is enqueued once). Then huey's consumer
runs ``run_job`` in a few threads and the minute tick, and each registered sub-second loop (the
exchange's closer) runs in its own thread; SIGINT or SIGTERM stop it cleanly.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.errors import LongchengError
from longcheng.platform.jobs import kinds, queue
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import JobState
from longcheng.platform.schedules import service as schedule_service

LOG = logging.getLogger("longcheng.worker")
INTERNAL = "任务执行出错（内部错误）：{}。请联系管理员查看后台日志。"


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def is_dead(worker_id: str) -> bool:
    """True when ``worker_id`` names a process of this host that no longer runs."""
    host, _, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class Runtime:
    """What one worker process shares between its threads."""

    settings: Settings
    sessions: sessionmaker[Session]
    worker_id: str = field(default_factory=new_worker_id)
    read_sessions: sessionmaker[Session] | None = None  # plain BEGIN (no SQLite write lock)

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        engine = make_engine(settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
        return cls(settings, make_sessionmaker(write_engine(engine)), read_sessions=make_sessionmaker(engine))


@dataclass
class RunContext:
    """The handler's view of its job (see :mod:`longcheng.platform.jobs.kinds`)."""

    runtime: Runtime
    job_id: int
    kind: str
    key: str
    params: dict[str, Any]
    started_by: int | None

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    def progress(self, pct: int, status: str) -> None:
        with transaction(self.runtime.sessions) as session:
            stop = job_service.report_progress(session, self.job_id, pct=pct, status=status)
        if stop:
            raise kinds.JobCancelled()

    def cancelled(self) -> bool:
        with transaction(self.runtime.sessions) as session:
            return job_service.cancel_requested(session, self.job_id)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        with transaction(self.runtime.sessions) as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session that takes no write lock (long exports, loading a population)."""
        session = (self.runtime.read_sessions or self.runtime.sessions)()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def store_result(self, data: bytes, name: str) -> str:
        with transaction(self.runtime.sessions) as session:
            return job_service.store_result(
                session, self.job_id, data_dir=self.runtime.settings.data_dir, data=data, name=name
            )


def _outcome(ctx: RunContext) -> tuple[JobState, str]:
    kind = kinds.get(ctx.kind)
    if kind is None:
        return JobState.failed, f"未注册的任务类型「{ctx.kind}」：提供它的模块尚未安装或未启用。"
    try:
        kind.handler(ctx)
    except kinds.JobCancelled:
        return JobState.cancelled, ""
    except LongchengError as exc:
        return JobState.failed, exc.message_text
    except FileNotFoundError as exc:
        return JobState.failed, f"输入文件不存在：{exc.filename or exc}。请重新上传后重试。"
    except Exception as exc:
        LOG.exception("job %s (%s) failed", ctx.job_id, ctx.kind)
        return JobState.failed, INTERNAL.format(type(exc).__name__)
    return JobState.done, ""


def execute(runtime: Runtime, job_id: int) -> JobState | None:
    """Run one job to its end; None when the message was stale (job not queued any more)."""
    with transaction(runtime.sessions) as session:
        job = job_service.claim(session, job_id, worker=runtime.worker_id)
        if job is None:
            return None
        ctx = RunContext(runtime, job.id, job.kind, job.key, job_service.params_of(job), job.started_by)
    state, error = _outcome(ctx)
    with transaction(runtime.sessions) as session:
        job_service.finish(session, job_id, state=state, error=error)
    return state


def recover(runtime: Runtime) -> list[int]:
    stale = timedelta(seconds=runtime.settings.job_stale_seconds)
    with transaction(runtime.sessions) as session:
        return job_service.recover(session, stale_after=stale, is_dead=is_dead)


def tick(runtime: Runtime) -> None:
    """Every minute: recover dead workers' jobs, enqueue due schedules, resend lost messages."""
    recover(runtime)
    with transaction(runtime.sessions) as session:
        due = schedule_service.tick(session)
    with transaction(runtime.sessions) as session:
        lost = job_service.lost(session, older_than=timedelta(minutes=1))
    queue.dispatch(runtime.settings, [*due, *lost])


def _heartbeat(runtime: Runtime, stop: threading.Event) -> None:
    interval = max(1.0, runtime.settings.job_stale_seconds / 4)
    while not stop.wait(interval):
        try:
            with transaction(runtime.sessions) as session:
                job_service.beat(session, worker=runtime.worker_id)
        except Exception:
            LOG.exception("heartbeat failed")


def _loop(runtime: Runtime, loop: kinds.Loop, stop: threading.Event) -> None:
    """Run one registered loop until the worker stops; a failed round is logged, not fatal."""
    pause = loop.interval
    while not stop.wait(pause):
        began = time.monotonic()
        try:
            loop.fn(runtime.sessions)
        except Exception:
            LOG.exception("loop %s failed", loop.name)
        pause = max(0.0, loop.interval - (time.monotonic() - began))  # a slow round waits less


def start_loops(runtime: Runtime, stop: threading.Event) -> list[threading.Thread]:
    """Start a thread for every registered sub-second loop (see :func:`kinds.register_loop`)."""
    threads = [
        threading.Thread(target=_loop, args=(runtime, lp, stop), name=f"loop:{lp.name}", daemon=True)
        for lp in kinds.all_loops()
    ]
    for t in threads:
        t.start()
    return threads


def start(runtime: Runtime) -> None:
    """The worker's start: recover, load the schedules, catch up once."""
    failed = recover(runtime)
    if failed:
        LOG.warning("已将 %d 个中断的任务标记为失败：%s", len(failed), failed)
    with transaction(runtime.sessions) as session:
        schedule_service.sync_defaults(session)
    tick(runtime)


def run(settings: Settings, *, threads: int | None = None) -> None:
    """Consume until SIGINT/SIGTERM (raises ``QueueUnavailable`` when Redis does not answer)."""
    runtime = Runtime.from_settings(settings)
    q = queue.build(settings, runner=lambda job_id: _run_logged(runtime, job_id), tick=lambda: tick(runtime))
    start(runtime)
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(runtime, stop), name="heartbeat", daemon=True)
    beat.start()
    start_loops(runtime, stop)
    consumer = q.huey.create_consumer(
        workers=threads or settings.worker_threads,
        worker_type="thread",
        periodic=True,
        initial_delay=0.02,
        backoff=1.5,
        max_delay=0.1,
    )
    LOG.info("后台任务进程已启动（%s，%d 个线程）", runtime.worker_id, threads or settings.worker_threads)
    try:
        consumer.run()
    finally:
        stop.set()
        LOG.info("后台任务进程已停止")


def _run_logged(runtime: Runtime, job_id: int) -> None:
    state = execute(runtime, job_id)
    LOG.info("任务 %s：%s", job_id, state.label if state is not None else "已跳过（不在排队状态）")
