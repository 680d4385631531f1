"""The huey queue, built from settings (never at import): SQLite in ``DATA_DIR`` or Redis.

Both sides register the same two task names: ``longcheng.run_job(job_id)``, the one generic
task that runs any job kind, and ``longcheng.tick``, the minute tick of the schedules. The web
and the CLI only enqueue (:func:`dispatch`); ``longcheng worker`` consumes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from huey import Huey, RedisHuey, SqliteHuey, crontab
from redis import ConnectionPool, Redis
from redis.exceptions import RedisError

from longcheng.core.config import Settings
from longcheng.core.errors import LongchengError

RUN_JOB = "longcheng.run_job"
TICK = "longcheng.tick"
REDIS_CONNECT_TIMEOUT = 3.0
LOG = logging.getLogger("longcheng.jobs")


class QueueUnavailable(LongchengError):
    code: ClassVar[str] = "jobs.queue_unavailable"
    status: ClassVar[int] = 503
    message: ClassVar[str] = "任务队列不可用。"


def _redis(settings: Settings) -> Huey:
    url = settings.redis_url or ""
    pool = ConnectionPool.from_url(url, socket_connect_timeout=REDIS_CONNECT_TIMEOUT, socket_timeout=10)
    try:
        Redis(connection_pool=pool).ping()
    except (RedisError, OSError, ValueError) as exc:
        pool.disconnect()
        raise QueueUnavailable(
            f"无法连接任务队列 Redis（{url}）：{exc}。请检查 LONGCHENG_REDIS_URL 或先启动 Redis。",
            details={"redis_url": url},
        ) from exc
    return RedisHuey(settings.queue_name, connection_pool=pool, results=False, utc=True)


def _sqlite(settings: Settings) -> Huey:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    filename = str(settings.data_dir / "job-queue.sqlite3")
    return SqliteHuey(settings.queue_name, filename=filename, results=False, utc=True, timeout=10)


@dataclass(frozen=True)
class Queue:
    """A huey instance and its generic job task."""

    huey: Huey
    run_job: Any  # huey's TaskWrapper (untyped)

    def send(self, job_ids: Iterable[int]) -> None:
        for job_id in job_ids:
            self.huey.enqueue(self.run_job.s(job_id))


def build(
    settings: Settings,
    *,
    runner: Callable[[int], None] | None = None,
    tick: Callable[[], None] | None = None,
) -> Queue:
    """A huey instance with our task names; the worker passes the functions that do the work.

    Raises :class:`QueueUnavailable` (Chinese, after a bounded connect timeout) when Redis is
    configured but does not answer.
    """
    huey = _redis(settings) if settings.redis_url else _sqlite(settings)

    def run_job(job_id: int) -> None:
        if runner is None:
            raise RuntimeError("this huey instance only enqueues")
        runner(job_id)

    def minute_tick() -> None:
        if tick is not None:
            tick()

    wrapper = huey.task(name=RUN_JOB)(run_job)
    huey.periodic_task(crontab(minute="*"), name=TICK)(minute_tick)
    return Queue(huey, wrapper)


_PRODUCERS: dict[tuple[str, str, str], Queue] = {}
_LOCK = threading.Lock()


def producer(settings: Settings) -> Queue:
    """The enqueue-only queue of this process for these settings (built once)."""
    ident = (settings.redis_url or "", str(settings.data_dir.resolve()), settings.queue_name)
    with _LOCK:
        queue = _PRODUCERS.get(ident)
        if queue is None:
            queue = _PRODUCERS[ident] = build(settings)
        return queue


def dispatch(settings: Settings, job_ids: Iterable[int]) -> bool:
    """Hand committed jobs to the queue; False (and logged) when the queue is down.

    A job whose message never arrived stays queued and is sent again by the worker's minute
    tick, so a failure here delays the job but loses nothing.
    """
    try:
        producer(settings).send(job_ids)
    except (LongchengError, RedisError, OSError) as exc:
        LOG.warning("任务已保存但暂未送入队列（稍后由后台进程补发）：%s", exc)
        return False
    return True
