"""Job behaviour: submit, list, cancel, retry, and the worker's claim / progress / finish / recovery.

Services never commit. A page or command submits inside its transaction and hands the job's id
to the queue *after* the commit (``queue.dispatch``); a message that arrives twice is harmless
because :func:`claim` moves a job from queued to running only once.
"""

from __future__ import annotations

import builtins
import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.clock import utcnow
from longcheng.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from longcheng.core.paging import Page, paginate
from longcheng.core.users import User
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.permissions import can_steer, can_view, visible_to

WORKER = Actor(id=None, username="worker", role=Role.admin, display_name="后台任务")
ENTITY = "platform_job"


def _snapshot(job: Job) -> dict[str, Any]:
    fields = ("kind", "key", "state", "attempts", "error")
    return {f: getattr(job, f) for f in fields}


def submit(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    params: dict[str, Any] | None = None,
    key: str | None = None,
    label: str | None = None,
) -> Job:
    """Queue a job of a registered kind; the same ``key`` within a kind returns the existing job."""
    if kinds.get(kind) is None:
        raise ValidationFailed(f"未知的任务类型「{kind}」。", code="jobs.unknown_kind")
    key = key or uuid.uuid4().hex
    existing = session.scalar(select(Job).where(Job.kind == kind, Job.key == key))
    if existing is not None:
        return existing
    return create_row(session, actor=actor, kind=kind, key=key, params=params, label=label)


def create_row(
    session: Session,
    *,
    actor: Actor,
    kind: str,
    key: str,
    params: dict[str, Any] | None,
    label: str | None = None,
    state: JobState = JobState.queued,
    error: str = "",
) -> Job:
    """Insert the row (schedules also record a run of an unknown kind as a failed job)."""
    now = utcnow()
    job = Job(
        kind=kind,
        key=key,
        label=label or kinds.label_of(kind),
        started_by=actor.id,
        params=json.dumps(params or {}, ensure_ascii=False, sort_keys=True),
        state=state,
        progress=0,
        status_line="排队等待执行" if state is JobState.queued else "",
        created_at=now,
        ended_at=None if state is JobState.queued else now,
        error=error,
    )
    session.add(job)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="platform.job.submit",
        entity_type=ENTITY,
        entity_id=job.id,
        after=_snapshot(job),
    )
    return job


def get(session: Session, job_id: int, *, actor: Actor) -> Job:
    job = session.get(Job, job_id)
    if job is None or not can_view(actor, job):
        raise NotFound("任务不存在或您无权查看。", code="jobs.not_found")
    return job


def list(
    session: Session,
    *,
    actor: Actor,
    kind: str | None = None,
    state: JobState | None = None,
    page: int = 1,
    page_size: int = 20,
) -> Page[Job]:
    """The actor's jobs (everyone's for admins), newest first, filtered by kind and state."""
    stmt = visible_to(actor)
    if kind:
        stmt = stmt.where(Job.kind == kind)
    if state is not None:
        stmt = stmt.where(Job.state == state)
    return paginate(session, stmt.order_by(Job.id.desc()), page=page, page_size=page_size)


def _steerable(session: Session, job_id: int, actor: Actor) -> Job:
    job = get(session, job_id, actor=actor)
    if not can_steer(actor, job):
        raise PermissionDenied()
    return job


def cancel(session: Session, job_id: int, *, actor: Actor) -> Job:
    """A queued job is cancelled at once; a running one is asked to stop at its next progress report."""
    job = _steerable(session, job_id, actor)
    before = _snapshot(job)
    if job.job_state is JobState.queued:
        job.state, job.ended_at, job.status_line = JobState.cancelled, utcnow(), "已取消"
    elif job.job_state is JobState.running:
        job.cancel_requested, job.status_line = True, "正在取消…"
    else:
        raise Conflict(f"任务已{job.job_state.label}，无法取消。", code="jobs.finished")
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="platform.job.cancel",
        entity_type=ENTITY,
        entity_id=job.id,
        before=before,
        after={**_snapshot(job), "cancel_requested": job.cancel_requested},
    )
    return job


def retry(session: Session, job_id: int, *, actor: Actor) -> Job:
    """Queue a failed or cancelled job again, with the same key (its handler must not write twice)."""
    job = _steerable(session, job_id, actor)
    if job.job_state not in (JobState.failed, JobState.cancelled):
        raise Conflict(
            f"只有失败或已取消的任务可以重试（当前：{job.job_state.label}）。", code="jobs.not_retryable"
        )
    if kinds.get(job.kind) is None:
        raise Conflict(f"任务类型「{job.kind}」尚未注册，无法重试。", code="jobs.unknown_kind")
    before = _snapshot(job)
    job.state, job.progress, job.status_line, job.error = JobState.queued, 0, "排队等待重试", ""
    job.cancel_requested, job.started_at, job.ended_at, job.worker = False, None, None, None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="platform.job.retry",
        entity_type=ENTITY,
        entity_id=job.id,
        before=before,
        after=_snapshot(job),
    )
    return job


def claim(session: Session, job_id: int, *, worker: str) -> Job | None:
    """Move a queued job to running for ``worker``; None when it is not queued (duplicate message)."""
    now = utcnow()
    moved = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.queued)
        .values(
            state=JobState.running,
            started_at=now,
            heartbeat_at=now,
            worker=worker,
            attempts=Job.attempts + 1,
            status_line="开始执行",
        )
    ).rowcount  # type: ignore[attr-defined]
    if not moved:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    assert job is not None
    audit.record(
        session,
        actor=WORKER,
        action="platform.job.start",
        entity_type=ENTITY,
        entity_id=job.id,
        before={"state": JobState.queued},
        after={"state": job.state, "worker": worker},
    )
    return job


def report_progress(session: Session, job_id: int, *, pct: int, status: str) -> bool:
    """Store progress and heartbeat; returns True when someone asked the job to stop."""
    pct = max(0, min(100, int(pct)))
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.running)
        .values(progress=pct, status_line=status[:200], heartbeat_at=utcnow())
    )
    return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def cancel_requested(session: Session, job_id: int) -> bool:
    return bool(session.scalar(select(Job.cancel_requested).where(Job.id == job_id)))


def finish(session: Session, job_id: int, *, state: JobState, error: str = "") -> Job:
    """Close a running job as done, failed or cancelled (audited, with its reason)."""
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:
        raise NotFound("任务不存在。", code="jobs.not_found")
    before = _snapshot(job)
    job.state, job.ended_at, job.error = state, utcnow(), error
    job.status_line = {JobState.done: "已完成", JobState.cancelled: "已取消"}.get(state, "失败")
    if state is JobState.done:
        job.progress = 100
    session.flush()
    audit.record(
        session,
        actor=WORKER,
        action=f"platform.job.{state.value}",
        entity_type=ENTITY,
        entity_id=job.id,
        before=before,
        after=_snapshot(job),
    )
    return job


def beat(session: Session, *, worker: str) -> None:
    """The worker is alive: refresh the heartbeat of every job it runs."""
    session.execute(
        update(Job).where(Job.worker == worker, Job.state == JobState.running).values(heartbeat_at=utcnow())
    )


def recover(
    session: Session, *, stale_after: timedelta, is_dead: Callable[[str], bool]
) -> builtins.list[int]:
    """Fail running jobs whose worker died (stale heartbeat, or a dead process on this host)."""
    cutoff = utcnow() - stale_after
    failed: builtins.list[int] = []
    for job in session.scalars(select(Job).where(Job.state == JobState.running)):
        stale = job.heartbeat_at is None or job.heartbeat_at < cutoff
        if stale or (job.worker is not None and is_dead(job.worker)):
            finish(
                session,
                job.id,
                state=JobState.failed,
                error="执行该任务的后台进程已停止，任务未完成（未写入部分结果）。可点击“重试”重新执行。",
            )
            failed.append(job.id)
    return failed


def lost(session: Session, *, older_than: timedelta) -> builtins.list[int]:
    """Queued jobs waiting longer than ``older_than``: their message may be lost, so send it again."""
    cutoff = utcnow() - older_than
    stmt = select(Job.id).where(Job.state == JobState.queued, Job.created_at < cutoff).order_by(Job.id)
    return [int(i) for i in session.scalars(stmt.limit(500))]


def store_result(session: Session, job_id: int, *, data_dir: Path, data: bytes, name: str) -> str:
    """Keep a result file content-addressed (never overwritten) and link it to the job."""
    digest = hashlib.sha256(data).hexdigest()
    path = result_path(data_dir, digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    session.execute(update(Job).where(Job.id == job_id).values(result_sha256=digest, result_name=name[:200]))
    return digest


def result_path(data_dir: Path, digest: str) -> Path:
    return data_dir / "job-results" / digest[:2] / digest


def result_file(session: Session, job_id: int, *, actor: Actor, data_dir: Path) -> tuple[Path, str]:
    """The result file of a finished job the actor may see, and its download name."""
    job = get(session, job_id, actor=actor)
    if job.result_sha256 is None:
        raise NotFound("该任务没有结果文件。", code="jobs.no_result")
    path = result_path(data_dir, job.result_sha256)
    if not path.exists():
        raise NotFound("结果文件已不存在，请重试该任务。", code="jobs.result_missing")
    return path, job.result_name or f"job-{job.id}"


def counts_by_state(session: Session, *, actor: Actor) -> dict[str, int]:
    sub = visible_to(actor).subquery()
    rows = session.execute(select(sub.c.state, func.count()).group_by(sub.c.state)).all()
    return {str(state): int(n) for state, n in rows}


def actor_of(session: Session, user_id: int | None) -> Actor:
    """The actor a job acts as: the active user who started it (a job started by the system acts as it)."""
    if user_id is None:
        return WORKER
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise kinds.JobFailed("发起该任务的用户已不存在或已停用，任务未执行。", code="jobs.actor_gone")
    return user.to_actor()


def params_of(job: Job) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(job.params or "{}")
    return data
