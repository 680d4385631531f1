"""The behaviour of stored runs, in two parts: ``store`` (evaluate the registry, store a run, diff
it with the previous one and write the notifications) and ``query`` (officers' lists of runs,
results, totals and changes). Start with ``store.run_registry_batch``.

Callers import from here: ``from longcheng.policy.runs import service as run_service``.
"""

from __future__ import annotations

from longcheng.policy.runs.service.query import (
    change_counts,
    changes,
    clause_stats,
    get_run,
    iter_changes,
    iter_results,
    list_runs,
    results,
    run_for_year,
    scoped_stats,
    totals_by_district,
)
from longcheng.policy.runs.service.store import (
    Stored,
    basis_of,
    latest_run,
    require_city_wide,
    run_registry_batch,
    store_run,
)

__all__ = [
    "Stored",
    "basis_of",
    "change_counts",
    "changes",
    "clause_stats",
    "get_run",
    "iter_changes",
    "iter_results",
    "latest_run",
    "list_runs",
    "require_city_wide",
    "results",
    "run_for_year",
    "run_registry_batch",
    "scoped_stats",
    "store_run",
    "totals_by_district",
]
