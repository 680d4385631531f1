"""Background jobs (后台任务 / 任务中心): long work out of the request and the terminal.

A job is a row in ``platform_jobs`` (kind, who started it, parameters, idempotency key, state
queued → running → done / failed / cancelled, progress 0–100 with a Chinese status line, result
file, error) plus one message on a huey queue (SQLite in ``DATA_DIR`` by default, Redis when
``LONGCHENG_REDIS_URL`` is set). One generic huey task, ``run_job(job_id)``, loads the row and
calls the handler registered for its kind::

    from longcheng.platform import jobs

    def export_orgs(ctx: jobs.JobContext) -> None:
        ctx.progress(10, "正在读取机构")
        ...
        ctx.store_result(data, "机构导出.xlsx")

    jobs.register("registry.export", export_orgs, label="机构导出")

Modules register their kinds in their own ``tasks.py``, wired from ``longcheng.modules.wire``.
Start a job with ``jobs.service.submit(...)`` inside the request's transaction and hand the
job to the queue after the commit (``jobs.pages.started(...)`` in a page,
``jobs.queue.dispatch(...)`` in a command). See ``kinds`` for the handler contract
(idempotency by key, cooperative cancel, short transactions).
"""

from longcheng.platform.jobs.kinds import JobCancelled, JobContext, JobFailed, register

__all__ = ["JobCancelled", "JobContext", "JobFailed", "register"]
