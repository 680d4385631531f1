"""Schedules and deadlines: load them, show their next run, and turn what is due into jobs.

:func:`tick` is called by the worker every minute and at start. It never runs a due time twice:
each schedule's due time is claimed by inserting ``(schedule, due_at)`` into a table where the
pair is unique, and each deadline by a conditional update of its ``fired_at``.
"""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import to_utc, utcnow
from longcheng.core.errors import LongchengError, NotFound, ValidationFailed
from longcheng.core.workdays import default_calendar
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.schedules import cron
from longcheng.platform.schedules.models import Deadline, Schedule, ScheduleRun

DEFAULTS = "platform/data/schedules.yaml"
FIELDS = ("label", "cron", "working_days_only", "kind", "params", "source")


class ScheduleFileError(LongchengError):
    code = "schedules.invalid_file"
    status = 422
    message = "定时任务配置有误。"


@dataclass(frozen=True)
class ScheduleSpec:
    name: str
    label: str
    cron: str
    working_days_only: bool
    kind: str
    params: str
    source: str


def _line_of(node: yaml.MappingNode, field: str) -> int:
    for key, value in node.value:
        if key.value == field:
            return int(value.start_mark.line) + 1
    return int(node.start_mark.line) + 1


def _spec(item: dict[str, Any], node: yaml.MappingNode, source: str) -> ScheduleSpec:
    line = _line_of(node, "cron")
    missing = [f for f in ("name", "cron", "kind") if not item.get(f)]
    if missing:
        where = f"{source}:{int(node.start_mark.line) + 1}"
        raise ScheduleFileError(f"{where}：缺少字段 {'、'.join(missing)}。", details={"line": where})
    try:
        cron.parse(str(item["cron"]))
    except cron.CronError as exc:
        where = f"{source}:{line}"
        raise ScheduleFileError(
            f"{where}：定时任务「{item['name']}」的 cron 表达式「{item['cron']}」无效：{exc}。",
            details={"line": where},
        ) from exc
    return ScheduleSpec(
        name=str(item["name"]),
        label=str(item.get("label") or item["name"]),
        cron=str(item["cron"]),
        working_days_only=bool(item.get("working_days_only", False)),
        kind=str(item["kind"]),
        params=json.dumps(item.get("params") or {}, ensure_ascii=False, sort_keys=True),
        source=f"{source}:{line}",
    )


def parse_file(text: str, *, source: str) -> builtins.list[ScheduleSpec]:
    """Read a schedules YAML file; an invalid entry is refused naming ``source`` and its line."""
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScheduleFileError(f"{source}：不是有效的 YAML：{exc}") from exc
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, builtins.list):
        raise ScheduleFileError(f"{source}：应是定时任务的列表。")
    return [_spec(item, node, source) for item, node in zip(data, root.value, strict=True)]


def default_specs() -> builtins.list[ScheduleSpec]:
    text = resources.files("longcheng.platform.data").joinpath("schedules.yaml").read_text("utf-8")
    return parse_file(text, source=DEFAULTS)


def sync(session: Session, specs: builtins.list[ScheduleSpec], *, actor: Actor) -> int:
    """Insert new schedules and update changed ones; ``enabled`` and the last run are kept."""
    changed = 0
    for spec in specs:
        row = session.scalar(select(Schedule).where(Schedule.name == spec.name))
        wanted = {f: getattr(spec, f) for f in FIELDS}
        if row is None:
            row = Schedule(name=spec.name, enabled=True, created_at=utcnow(), **wanted)
            session.add(row)
            before: dict[str, Any] | None = None
        else:
            before = {f: getattr(row, f) for f in FIELDS}
            if before == wanted:
                continue
            for f, v in wanted.items():
                setattr(row, f, v)
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="platform.schedule.sync",
            entity_type="platform_schedule",
            entity_id=row.id,
            before=before,
            after=wanted,
        )
        changed += 1
    return changed


def sync_defaults(session: Session) -> int:
    return sync(session, default_specs(), actor=job_service.WORKER)


def list(session: Session) -> builtins.list[Schedule]:
    return builtins.list(session.scalars(select(Schedule).order_by(Schedule.name)))


def set_enabled(session: Session, schedule_id: int, *, enabled: bool, actor: Actor) -> Schedule:
    """Enable or pause a schedule; a re-enabled schedule does not catch up the paused time."""
    row = session.get(Schedule, schedule_id)
    if row is None:
        raise NotFound("定时任务不存在。", code="schedules.not_found")
    if row.enabled != enabled:
        before = {"enabled": row.enabled}
        row.enabled = enabled
        if enabled:
            row.last_due_at = max(row.last_due_at or row.created_at, utcnow())
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="platform.schedule.enable" if enabled else "platform.schedule.disable",
            entity_type="platform_schedule",
            entity_id=row.id,
            before=before,
            after={"enabled": enabled},
        )
    return row


def _day_ok(row: Schedule) -> cron.DayFilter | None:
    return default_calendar(allow_uncovered=True).is_working_day if row.working_days_only else None


def next_run(row: Schedule, *, now: datetime | None = None) -> datetime | None:
    """When the schedule next falls due (None when paused)."""
    if not row.enabled:
        return None
    after = max(now or utcnow(), row.last_due_at or row.created_at)
    return cron.parse(row.cron).next_after(after, _day_ok(row))


def last_run(session: Session, row: Schedule) -> tuple[ScheduleRun, Job | None] | None:
    stmt = select(ScheduleRun).where(ScheduleRun.schedule_id == row.id)
    run = session.scalar(stmt.order_by(ScheduleRun.due_at.desc()).limit(1))
    if run is None:
        return None
    return run, (session.get(Job, run.job_id) if run.job_id is not None else None)


def claim_run(session: Session, row: Schedule, due_at: datetime) -> ScheduleRun | None:
    """Claim one due time; None when another worker already claimed it (the unique pair)."""
    run = ScheduleRun(schedule_id=row.id, due_at=due_at, created_at=utcnow())
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return None
    return run


def _start(session: Session, *, kind: str, key: str, params: str) -> Job:
    data = json.loads(params or "{}")
    if kinds.get(kind) is None:
        return job_service.create_row(
            session,
            actor=job_service.WORKER,
            kind=kind,
            key=key,
            params=data,
            state=JobState.failed,
            error=f"未注册的任务类型「{kind}」：提供它的模块尚未安装，本次定时运行已跳过。",
        )
    return job_service.submit(session, actor=job_service.WORKER, kind=kind, key=key, params=data)


def _tick_schedule(session: Session, row: Schedule, now: datetime) -> Job | None:
    after = row.last_due_at or row.created_at
    due = cron.parse(row.cron).latest_between(after, now, _day_ok(row))
    if due is None:
        return None
    row.last_due_at = due
    run = claim_run(session, row, due)
    if run is None:
        return None
    job = _start(session, kind=row.kind, key=f"schedule:{row.name}:{due.isoformat()}", params=row.params)
    run.job_id = job.id
    session.flush()
    return job


def schedule_at(
    session: Session, *, actor: Actor, kind: str, params: dict[str, Any], run_at: datetime, key: str
) -> Deadline:
    """Run ``kind`` once at ``run_at`` for one object; the same key moves a deadline not yet fired."""
    run_at = to_utc(run_at)
    row = session.scalar(select(Deadline).where(Deadline.kind == kind, Deadline.key == key))
    if row is not None and row.fired_at is not None:
        raise ValidationFailed(f"到期任务「{key}」已执行，不能再改期。", code="schedules.deadline_fired")
    before = None if row is None else {"run_at": row.run_at}
    if row is None:
        row = Deadline(kind=kind, key=key, created_at=utcnow(), run_at=run_at)
        session.add(row)
    row.run_at, row.params = run_at, json.dumps(params, ensure_ascii=False, sort_keys=True)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="platform.deadline.set",
        entity_type="platform_deadline",
        entity_id=row.id,
        before=before,
        after={"kind": kind, "key": key, "run_at": run_at},
    )
    return row


def _fire(session: Session, row: Deadline, now: datetime) -> Job | None:
    claimed = session.execute(
        update(Deadline).where(Deadline.id == row.id, Deadline.fired_at.is_(None)).values(fired_at=now)
    ).rowcount  # type: ignore[attr-defined]
    if not claimed:
        return None
    job = _start(session, kind=row.kind, key=f"deadline:{row.key}", params=row.params)
    session.execute(update(Deadline).where(Deadline.id == row.id).values(job_id=job.id))
    return job


def tick(session: Session, *, now: datetime | None = None) -> builtins.list[int]:
    """Turn every due schedule and deadline into a job; returns the queued jobs' ids to dispatch."""
    now = now or utcnow()
    jobs: builtins.list[Job | None] = []
    for row in session.scalars(select(Schedule).where(Schedule.enabled.is_(True)).order_by(Schedule.id)):
        jobs.append(_tick_schedule(session, row, now))
    due = select(Deadline).where(Deadline.fired_at.is_(None), Deadline.run_at <= now)
    due = due.order_by(Deadline.run_at)
    for deadline in builtins.list(session.scalars(due.limit(1000))):
        jobs.append(_fire(session, deadline, now))
    return [j.id for j in jobs if j is not None and j.job_state is JobState.queued]
