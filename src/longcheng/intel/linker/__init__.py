"""Linking organisation names from the news to registry organisations (关联) — a pure engine.

:class:`OrgDirectory` is built once from the registry's names (:class:`OrgName`, current and
former) and answers :meth:`OrgDirectory.match` for a name found in a sentence with scored
:class:`Candidate` records: exact name and former name (曾用名) are linked automatically, a
confident fuzzy match on the name's core (:func:`core`: without region and legal form) too, and
weaker candidates wait in the review queue (待确认). Storing links and deciding on them is
``intel.service.links``.

Start reading at ``directory``. Imports only the standard library.
"""

from longcheng.intel.linker.directory import (
    AUTO_MARGIN,
    AUTO_SCORE,
    MAX_PROPOSALS,
    PROPOSE_SCORE,
    Candidate,
    OrgDirectory,
    OrgName,
    core,
    normalise,
)

__all__ = [
    "AUTO_MARGIN",
    "AUTO_SCORE",
    "MAX_PROPOSALS",
    "PROPOSE_SCORE",
    "Candidate",
    "OrgDirectory",
    "OrgName",
    "core",
    "normalise",
]
