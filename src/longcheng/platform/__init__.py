"""Platform services every module uses: jobs, schedules, notifications, backup.

They stand between the domains and ``core``: a platform package imports only ``longcheng.core``
and never names a domain; the edges (``cli.py``, ``web.py``) hand it what it needs (the full
table metadata after ``longcheng.modules.load_models()``).

* ``backup/`` — portable backup and restore: every table as JSON Lines plus the stored files in
  one archive, loaded into an empty database of either backend.
"""
