"""Public service of carriers: :mod:`.sites` (carriers, vacancy, portal search) and
:mod:`.leads` (investor leads, matching, conversion into a project)."""

from longcheng.carriers.service.leads import Fit, convert, match
from longcheng.carriers.service.sites import Filters, create, get, search, set_available, vacancy

__all__ = ["Filters", "Fit", "convert", "create", "get", "match", "search", "set_available", "vacancy"]
