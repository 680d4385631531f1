"""Jobs through the service and the runner (same database, rolled back per test)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.platform import jobs
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs import worker
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.tasks import DEMO, DEMO_ENTITY

ALICE = Actor(id=101, username="alice", role=Role.officer)
BOB = Actor(id=102, username="bob", role=Role.officer)
ADMIN = Actor(id=1, username="admin", role=Role.admin)


@pytest.fixture
def runtime(settings: Settings, session_factory: sessionmaker[Session]) -> worker.Runtime:
    return worker.Runtime(settings, session_factory, worker_id="test-host:1:abc")


def _demo(session: Session, *, actor: Actor = ALICE, **params: object) -> Job:
    return job_service.submit(session, actor=actor, kind=DEMO, params={"steps": 3, "seconds": 0, **params})


class TestSubmit:
    def test_unknown_kind(self, session: Session) -> None:
        """A kind no module registered is refused before anything is written."""
        with pytest.raises(ValidationFailed) as err:
            job_service.submit(session, actor=ALICE, kind="nobody.knows")
        assert err.value.code_text == "jobs.unknown_kind"

    def test_same_key_same_job(self, session: Session) -> None:
        """Submitting twice with one idempotency key returns the first job."""
        first = job_service.submit(session, actor=ALICE, kind=DEMO, key="k-1")
        again = job_service.submit(session, actor=ALICE, kind=DEMO, key="k-1")
        assert again.id == first.id
        assert first.job_state is JobState.queued
        assert audit.history(session, entity_type="platform_job", entity_id=str(first.id))


class TestVisibility:
    def test_own_jobs_only(self, session: Session) -> None:
        """Users see the jobs they started; admins see everyone's."""
        mine, theirs = _demo(session, actor=ALICE), _demo(session, actor=BOB)
        assert [j.id for j in job_service.list(session, actor=ALICE).items] == [mine.id]
        assert {j.id for j in job_service.list(session, actor=ADMIN).items} >= {mine.id, theirs.id}
        with pytest.raises(NotFound):
            job_service.get(session, theirs.id, actor=ALICE)

    def test_filter_by_state(self, session: Session) -> None:
        """The list filters by state and kind."""
        a, b = _demo(session), _demo(session)
        job_service.cancel(session, b.id, actor=ALICE)
        assert [j.id for j in job_service.list(session, actor=ALICE, state=JobState.cancelled).items] == [
            b.id
        ]
        assert a.id in [j.id for j in job_service.list(session, actor=ALICE, kind=DEMO).items]


class TestRun:
    def test_done_with_progress_and_result(self, session: Session, runtime: worker.Runtime) -> None:
        """A job runs to done at 100 %, keeps its result file and records its effect once."""
        job = _demo(session)
        assert worker.execute(runtime, job.id) is JobState.done
        session.refresh(job)
        assert (job.progress, job.state, job.attempts) == (100, "done", 1)
        path, name = job_service.result_file(session, job.id, actor=ALICE, data_dir=runtime.settings.data_dir)
        assert name == "演示结果.txt"
        assert "3 步" in path.read_text("utf-8")
        assert len(audit.history(session, entity_type=DEMO_ENTITY, entity_id=job.key)) == 1

    def test_duplicate_message_is_harmless(self, session: Session, runtime: worker.Runtime) -> None:
        """A second message for a job that already ran does nothing."""
        job = _demo(session)
        worker.execute(runtime, job.id)
        assert worker.execute(runtime, job.id) is None

    def test_input_file_vanished(self, session: Session, runtime: worker.Runtime, tmp_path: Path) -> None:
        """A job whose input file is gone fails with a Chinese reason naming the file."""
        job = _demo(session, input=str(tmp_path / "gone.txt"))
        assert worker.execute(runtime, job.id) is JobState.failed
        session.refresh(job)
        assert "输入文件不存在" in job.error
        assert "gone.txt" in job.error

    def test_unregistered_kind_fails_clearly(self, session: Session, runtime: worker.Runtime) -> None:
        """A row of a kind no module provides fails with a reason instead of crashing the worker."""
        job = job_service.create_row(session, actor=ALICE, kind="grants.close", key="w1", params={})
        assert worker.execute(runtime, job.id) is JobState.failed
        session.refresh(job)
        assert "未注册的任务类型" in job.error

    def test_cancel_running_job(self, session: Session, runtime: worker.Runtime) -> None:
        """A running job asked to cancel stops at its next progress report."""
        job = _demo(session)
        jobs.register("test.cancel", _cancel_then_report, label="取消测试")
        session.execute(update(Job).where(Job.id == job.id).values(kind="test.cancel"))
        assert worker.execute(runtime, job.id) is JobState.cancelled


def _cancel_then_report(ctx: jobs.JobContext) -> None:
    with ctx.unit_of_work() as s:
        job_service.cancel(s, ctx.job_id, actor=ALICE)
    ctx.progress(50, "半程")
    raise AssertionError("progress() must raise once the job is cancelled")


class TestRetry:
    def test_retry_does_not_write_twice(self, session: Session, runtime: worker.Runtime) -> None:
        """A job failed half-way by a dead worker is retried with its key; its effect is written once."""
        job = _demo(session)
        worker.execute(runtime, job.id)
        session.execute(update(Job).where(Job.id == job.id).values(state=JobState.failed))
        job_service.retry(session, job.id, actor=ALICE)
        assert worker.execute(runtime, job.id) is JobState.done
        session.refresh(job)
        assert job.attempts == 2
        assert len(audit.history(session, entity_type=DEMO_ENTITY, entity_id=job.key)) == 1

    def test_only_finished_failures(self, session: Session) -> None:
        """Retrying a queued job is a conflict."""
        job = _demo(session)
        with pytest.raises(Conflict):
            job_service.retry(session, job.id, actor=ALICE)

    def test_cancel_finished(self, session: Session, runtime: worker.Runtime) -> None:
        """A finished job cannot be cancelled."""
        job = _demo(session)
        worker.execute(runtime, job.id)
        session.expire_all()
        with pytest.raises(Conflict):
            job_service.cancel(session, job.id, actor=ALICE)


class TestRecover:
    def test_stale_heartbeat(self, session: Session) -> None:
        """A running job whose heartbeat stopped is failed with a reason and can be retried."""
        job = _demo(session)
        job_service.claim(session, job.id, worker="elsewhere:1:x")
        old = utcnow() - timedelta(minutes=10)
        session.execute(update(Job).where(Job.id == job.id).values(heartbeat_at=old))
        failed = job_service.recover(session, stale_after=timedelta(minutes=2), is_dead=lambda _w: False)
        assert failed == [job.id]
        session.refresh(job)
        assert "后台进程已停止" in job.error
        assert job_service.retry(session, job.id, actor=ALICE).job_state is JobState.queued

    def test_live_job_is_kept(self, session: Session) -> None:
        """A job with a fresh heartbeat of a live worker keeps running."""
        job = _demo(session)
        job_service.claim(session, job.id, worker="elsewhere:1:x")
        assert job_service.recover(session, stale_after=timedelta(minutes=2), is_dead=lambda _w: False) == []

    def test_dead_process_on_this_host(self) -> None:
        """A worker id of this host whose process is gone is dead; another host's is not judged."""
        assert worker.is_dead(f"{worker.socket.gethostname()}:999999999:x")
        assert not worker.is_dead(worker.new_worker_id())
        assert not worker.is_dead("another-host:1:x")
