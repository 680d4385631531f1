"""Platform services every module stands on: background jobs (任务中心) and schedules (定时任务).

``platform`` sits between ``core`` and the domains: it imports only ``core``; domains use it.
``jobs`` runs long work in a separate worker process (``longcheng worker``) through a huey
queue, with the job's state, progress and result kept in the database; ``schedules`` turns
cron expressions in Beijing time (optionally working days only) and one-off deadlines into
jobs, exactly once per due time.
"""
