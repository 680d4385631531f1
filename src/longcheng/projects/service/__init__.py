"""The project record's behaviour: the public service functions other code calls.

Every function takes the session first and the acting user as ``actor``, asks permissions,
audits each change under the project (``entity_type="project"``, ``entity_id`` = its code) and
never commits. Callers write ``from longcheng.projects import service`` and call
``service.create(...)``, ``service.change_stage(...)`` …; the parts behind it are:

* :mod:`.records` — register and edit a project (start reading here); :mod:`.base` finds one
  project for an actor (404/403) and its history; :mod:`.fields` sets the fields, amounts in
  foreign currency (exchange rates) and people.
* :mod:`.stages` — stage changes and ceremonies (集中签约/开工/竣工).
* :mod:`.plan` — the 时序计划表 and the monthly investment (序时进度).
* :mod:`.lights` — one project's status light and the thresholds; :mod:`.recompute` — the
  thresholds' edit and the nightly recompute of every light.
* :mod:`.query` — lists, filters, the pipeline board and the leader's dashboard.

督办 (:mod:`longcheng.projects.supervision.service`), news evidence
(:mod:`longcheng.projects.evidence.service`) and the monthly report
(:mod:`longcheng.projects.report.service`) are sub-domains beside this package: they use it,
it does not use them.
"""

from __future__ import annotations

from longcheng.projects.service.base import get, history
from longcheng.projects.service.lights import refresh_light
from longcheng.projects.service.plan import create_plan, revise, set_investment, set_node_done
from longcheng.projects.service.query import (
    STAMPS,
    board,
    dashboard,
    iter_export,
    list_project_ids,
    list_projects,
    projects_by_ids,
)
from longcheng.projects.service.recompute import recompute_all, update_thresholds
from longcheng.projects.service.records import create, update
from longcheng.projects.service.stages import change_stage, run_ceremony, stale

__all__ = [
    "board",
    "change_stage",
    "create",
    "create_plan",
    "dashboard",
    "get",
    "history",
    "iter_export",
    "STAMPS",
    "list_project_ids",
    "list_projects",
    "projects_by_ids",
    "recompute_all",
    "refresh_light",
    "revise",
    "run_ceremony",
    "set_investment",
    "set_node_done",
    "stale",
    "update",
    "update_thresholds",
]
