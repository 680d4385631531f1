"""JSON API of the project record under ``/api/v1/projects``; each route calls one service function.

Money goes out as integer fen plus a decimal string in yuan (:mod:`.shapes`); it comes in as
text the way officers write it (``101亿元``, ``5000`` meaning 万元, ``10亿美元``). Errors are
``{"code", "message", "details"}`` with the HTTP status of the error (403
``projects.not_responsible``, 409 ``projects.stale_version`` …).

* :mod:`.records` — list, register, edit, stage, history, import/export (start here).
* :mod:`.plan` — the plan and the monthly investment of one project.
* :mod:`.batch` — thresholds, recomputing every light, ceremonies.
* :mod:`.shapes` — a project as JSON, shared with the sub-domains' APIs.

督办 and evidence have their own routes (:mod:`longcheng.projects.supervision.api`,
:mod:`longcheng.projects.evidence.api`); :mod:`longcheng.projects.views` lists them all in order.
"""
