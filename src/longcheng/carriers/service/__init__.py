"""Public service of carriers: :mod:`.sites` (carriers, vacancy, portal search, the officers'
list), :mod:`.photos` (photos kept in the file store) and :mod:`.leads` (investor leads,
matching, conversion into a project)."""

from longcheng.carriers.service.leads import Fit, convert, match
from longcheng.carriers.service.sites import (
    Filters,
    create,
    get,
    iter_carriers,
    list_carriers,
    search,
    set_available,
    update,
    vacancy,
)

__all__ = [
    "Filters",
    "Fit",
    "convert",
    "create",
    "get",
    "iter_carriers",
    "list_carriers",
    "match",
    "search",
    "set_available",
    "update",
    "vacancy",
]
