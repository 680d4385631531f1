"""Policies as rules-as-code (政策一键查 · 精准推送 · 免申即享 · 申兑指南).

A city publishes policy documents (政策, with a 文号 and an issuing body); each has clauses
(条款) that promise money to enterprises or people who meet conditions. This module holds them as
**policy packs**: folders of YAML under ``packs/<pack_id>/`` with the document, dated parameters
(amounts in fen, rates in basis points, each value with the article it implements), marginal
scales (超额累进: each slice of an amount at its own rate, every threshold and rate with its own
history), tables by category, and clause logic in a small expression language.

What the engine answers, all without a database (services add storage, permissions, audit):

* **政策一键查** (policy lookup): which clauses does this firm qualify for, how much, and why —
  ``engine.explain.explain`` gives conditions met/not met with values, the exception applied,
  every bracket, every parameter with dates and reference, the reading used, and the total.
* **精准推送** (targeted push): ``engine.batch.evaluate_batch`` runs every clause over every firm
  at once on numpy int64 columns; ``engine.batch.diff_runs`` compares two runs' qualifying sets
  and lists who is new, who dropped out and whose amount changed, with reasons.
* **免申即享** (no-application award): the same batch, on government data only, gives the list
  of firms and exact amounts for them to confirm.
* **申兑指南** (claim guide): ``engine.guide.guide`` generates who / conditions / amount /
  deadline / materials / where to ask from the pack.

Rules of the engine: money is integer fen and exact until **one** rounding at the clause result
(the rule is stored in the pack, default half up to the fen); no float ever touches an amount
(OpenFisca's float32 is off by ≥ 1 fen on 17 % of R&D rewards). A clause is Catala-style default
logic: a general rule and exceptions with priorities; two applicable exceptions of the same
priority are a reported conflict. An ambiguous text is kept as named **readings** (解读), one the
default, each marked confirmed or not by the policy owner. Every pack error is found at load time
with file, line and column and a stable code.

Why an expression language in YAML rather than registered Python functions: the officer reviews
the rule next to the parameters it uses, in the same file, in a notation of a dozen operators;
the loader can check every name, type, period and enum value *before* anything runs and point at
the column; it derives the dependency graph for cycle detection and a static int64 bound; the same
typed tree runs vectorised for a million firms and traced for one (so batch and explanation
cannot disagree); and a district can ship a pack without shipping executable code. Anything the
language cannot say belongs in the engine as a new, reviewed primitive (like ``scale``).

Map of the package (start with ``engine/__init__.py``, then ``service.py``):

* ``engine/`` — the **pure** engine (no database, no web, no services): ``source`` (located
  YAML), ``params`` (dated parameters and scales), ``expr`` (parser), ``compiler`` (names and
  types), ``rules`` (evaluator nodes), ``pack``/``loader``/``clause_loader`` (the pack model and
  its checks), ``inputs`` (columns), ``evaluate`` (clauses), ``explain``, ``batch``, ``tables``
  (CSV/Parquet/XLSX), ``guide``, ``cases`` (YAML tests), ``periods``, ``amounts``, ``errors``.
* ``packs/`` — the policy packs shipped with Longcheng (YAML; found by ``engine.loader``).
* The platform around it (database, permissions, audit), with the fixed file names:
  ``models`` (runs, qualifying sets, notifications, input records, 免申即享 decisions; migration
  branch ``policy``), ``schemas``, ``permissions``, ``service`` (library, calculator, 一键查 —
  the public entry other code calls), ``api`` and ``pages`` (the same, plus the prefix and page
  helpers every sub-domain shares), ``views`` (all routers), ``export`` (XLSX), ``demo`` and
  ``cli`` (``longcheng policy``).
* Sub-domains, each with ``service``, ``api`` and ``pages``:
  ``runs/`` (registry-backed batch, stored runs, the 精准推送 diff with reasons, notifications;
  officers' lists), ``inbox/`` (the enterprise inbox), ``awards/`` (免申即享 confirmation) and
  ``inputs/`` (where each input comes from — registry tags, registry facts or policy-owned
  input records — and the XLSX/CSV import of those records).

States: a run is stored complete or not at all (one transaction); each notification is unread
until the firm reads it; a 免申即享 row is 待确认 → 已确认 (or 暂缓 with a reason), and 金额有变化
when a later run changes a confirmed amount.
"""
