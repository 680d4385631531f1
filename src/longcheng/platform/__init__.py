"""Platform services every module stands on: jobs, schedules, notifications, backup.

``platform`` sits between ``core`` and the domains: a platform package imports only
``longcheng.core`` and never names a domain; domains use it, and the edges (``cli.py``, ``web.py``,
``modules.py``) hand it what it needs (job kinds, the full table metadata).

* ``jobs/`` — long work in a separate worker process (``longcheng worker``) through a huey queue,
  with the job's state, progress and result kept in the database (the 任务中心). Start reading at
  ``jobs/service.py`` and ``jobs/kinds.py`` (the handler contract).
* ``schedules/`` — cron expressions in Beijing time (optionally working days only) and one-off
  deadlines turned into jobs, exactly once per due time.
* ``backup/`` — portable backup and restore: every table as JSON Lines plus the stored files in
  one archive, loaded into an empty database of either backend.
"""
