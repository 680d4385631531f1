"""Public service of the expert pool and expert review; other modules call only these functions.

* :mod:`.pool` — the pool: list, get, create, update, export rows.
* :mod:`.conflicts` — conflicts of interest from the registry's people and holdings.
* :mod:`.review` — assign, declare, score, scores_for, aggregate, substitute.
"""

from longcheng.experts.schemas import AggregateView, AssignItem, DrawResult, ScoreView
from longcheng.experts.service.conflicts import conflicts
from longcheng.experts.service.pool import (
    create,
    get,
    get_by_code,
    iter_export,
    list_experts,
    update,
)
from longcheng.experts.service.review import (
    aggregate,
    assign,
    assignments_for,
    declare,
    declared,
    my_assignments,
    score,
    scores_for,
    substitute,
)

__all__ = [
    "AggregateView",
    "AssignItem",
    "DrawResult",
    "ScoreView",
    "aggregate",
    "assign",
    "assignments_for",
    "conflicts",
    "create",
    "declare",
    "declared",
    "get",
    "get_by_code",
    "iter_export",
    "list_experts",
    "my_assignments",
    "score",
    "scores_for",
    "substitute",
    "update",
]
