"""The schedule engine of a project: stages, plans, 序时进度 and status lights (pure).

Plain data in, plain data out: nothing here reads the database, the web request or the clock
(today is always an argument), so the rules can be tested as tables and run in batch.

* :mod:`.stages` — 线索 → … → 达产, which moves are routine and which need a reason, stage dates in order.
* :mod:`.plans` — 时序计划表 from templates, dated in working days (holidays move to the next working day).
* :mod:`.progress` — 序时进度: the month's planned investment against what was completed.
* :mod:`.lights` — 绿灯/黄灯/红灯 per node, per 督办单 and per project, from thresholds kept as data.

Start with :mod:`.stages`, then :mod:`.lights`. May import the standard library, numpy, PyYAML
and the pure ``longcheng.core`` helpers (``core.errors``, ``core.workdays``), never the
module's models, services or web code.
"""
