"""Schedules and deadlines: loaded from YAML, ticked into jobs exactly once per due time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.jobs.tasks import DEMO
from longcheng.platform.schedules import service as schedule_service
from longcheng.platform.schedules.models import Schedule, ScheduleRun

ADMIN = Actor(id=1, username="admin", role=Role.admin)
T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # Monday 08:00 Beijing

YAML = """\
- name: demo.hourly
  label: 演示
  cron: "0 * * * *"
  kind: platform.demo
  params: {steps: 1, seconds: 0}
- name: bad.one
  cron: "0 24 * * *"
  kind: platform.demo
"""


def _load(session: Session, text: str, created: datetime = T0) -> list[Schedule]:
    specs = schedule_service.parse_file(text, source="test.yaml")
    schedule_service.sync(session, specs, actor=WORKER)
    rows = [session.scalar(select(Schedule).where(Schedule.name == s.name)) for s in specs]
    session.execute(
        update(Schedule).where(Schedule.name.in_([s.name for s in specs])).values(created_at=created)
    )
    session.expire_all()
    return [r for r in rows if r is not None]


def test_invalid_cron_names_file_and_line() -> None:
    """An invalid cron expression is refused at load, naming the file and the line."""
    with pytest.raises(schedule_service.ScheduleFileError) as err:
        schedule_service.parse_file(YAML, source="test.yaml")
    assert "test.yaml:7" in err.value.message_text
    assert "bad.one" in err.value.message_text


def test_default_schedules_are_registered(session: Session) -> None:
    """The three platform schedules load; the reminders run on working days only."""
    schedule_service.sync_defaults(session)
    names = {s.name: s for s in schedule_service.list(session)}
    assert {"projects.lights", "projects.order_reminders", "notifications.digest"} <= names.keys()
    assert names["projects.order_reminders"].working_days_only
    assert schedule_service.next_run(names["projects.lights"]) is not None


def test_catch_up_runs_once(session: Session) -> None:
    """A schedule that fell due many times while no worker ran is run once, for its latest due time."""
    (row,) = _load(session, YAML.split("- name: bad.one")[0])
    ids = schedule_service.tick(session, now=T0 + timedelta(hours=5, minutes=10))
    assert len(ids) == 1
    job = session.get(Job, ids[0])
    assert job is not None
    assert job.key == f"schedule:demo.hourly:{(T0 + timedelta(hours=5)).isoformat()}"
    assert schedule_service.tick(session, now=T0 + timedelta(hours=5, minutes=11)) == []
    assert len(schedule_service.tick(session, now=T0 + timedelta(hours=6))) == 1


def test_same_tick_is_claimed_once(session: Session) -> None:
    """Two workers claiming one due time: the database lets only the first through."""
    (row,) = _load(session, YAML.split("- name: bad.one")[0])
    due = T0 + timedelta(hours=1)
    assert schedule_service.claim_run(session, row, due) is not None
    assert schedule_service.claim_run(session, row, due) is None
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(ScheduleRun(schedule_id=row.id, due_at=due, created_at=due))


def test_unknown_kind_is_a_failed_run(session: Session) -> None:
    """A schedule whose module is not installed records a failed run with the reason."""
    text = '- name: later.module\n  cron: "0 * * * *"\n  kind: exchange.close_auctions\n'
    _load(session, text)
    assert schedule_service.tick(session, now=T0 + timedelta(hours=1)) == []
    job = session.scalar(select(Job).where(Job.kind == "exchange.close_auctions"))
    assert job is not None
    assert job.job_state is JobState.failed
    assert "未注册的任务类型" in job.error


def test_disabled_schedule_does_not_run(session: Session) -> None:
    """A paused schedule is not ticked and has no next run."""
    (row,) = _load(session, YAML.split("- name: bad.one")[0])
    schedule_service.set_enabled(session, row.id, enabled=False, actor=ADMIN)
    assert schedule_service.tick(session, now=T0 + timedelta(hours=3)) == []
    assert schedule_service.next_run(row) is None


def test_deadline_fires_once(session: Session) -> None:
    """A deadline runs its job once when due (catch-up included), never twice."""
    schedule_service.schedule_at(
        session, actor=ADMIN, kind=DEMO, params={"steps": 1}, run_at=T0, key="auction-7"
    )
    assert schedule_service.tick(session, now=T0 - timedelta(minutes=1)) == []
    first = schedule_service.tick(session, now=T0 + timedelta(days=2))
    assert len(first) == 1
    assert schedule_service.tick(session, now=T0 + timedelta(days=3)) == []
    job = session.get(Job, first[0])
    assert job is not None
    assert job.key == "deadline:auction-7"
