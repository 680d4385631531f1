"""The pure rule engine: plain data in, plain data out — no database, no web, no services.

Everything here may be used from a script, a notebook or a benchmark without a Session; it
imports only the standard library, numpy/pyarrow/openpyxl/PyYAML and pure ``longcheng.core``
helpers (``core.errors``, ``core.money``). The policy services wrap it with storage,
permissions and audit.

Where to start reading: ``pack`` (what a loaded policy pack is) → ``loader`` (folder → checked
``Pack``, with ``clause_loader``, ``params`` and ``source`` for located YAML) → ``expr`` and
``compiler`` (the expression language: text → typed tree) → ``rules`` (the evaluator nodes) →
``inputs`` (columns per firm) → ``evaluate`` (clauses over columns) → ``explain`` (one firm,
traced) and ``batch`` (every firm, and the 精准推送 diff). Around them: ``periods``, ``amounts``
(integer fen), ``errors``, ``tables`` (CSV/Parquet/XLSX in and out), ``guide`` (申兑指南) and
``cases`` (the pack's YAML tests).
"""
