"""Schedules (定时任务): periodic runs kept as data, and one-off deadlines for a specific object.

A schedule names a job kind and its parameters, a cron expression read in Beijing time and
whether it runs on working days only (``core.workdays``: holidays skipped, 调休 Saturdays
worked). The defaults live in ``platform/data/schedules.yaml``; ``sync_defaults`` loads them
into ``platform_schedules`` (an invalid cron expression is refused with its file and line) and
an admin enables or disables each on ``/admin/schedules``.

A deadline (``schedule_at(kind, params, run_at, key)``) runs a job once at a given instant: the
exchange closes auctions this way, grants close their windows.

The worker's minute tick enqueues what is due. A schedule that fell due several times while no
worker ran runs once (for its latest due time); the pair (schedule, due time) is unique in
``platform_schedule_runs``, so two workers never run the same tick twice.
"""
