"""The intel services: the only code that queries or changes intel tables.

Plain functions taking the session first and the acting user as ``actor``.

Reading the library is re-exported here, so callers write ``intel_service.get_fact(...)``:

* ``documents`` — the file list, one file, its articles and facts, its original and text;
* ``facts`` — the fact table, its filters and export, one fact and its 痕迹, and
  :func:`facts_for_projects`, the hand-off other modules (``projects``) read through
  ``longcheng.intel.service.facts_for_projects`` when ``core.hooks.FACTS_STORED`` fires.

Writing has its own parts, imported by name (``from longcheng.intel.service import links``):

* ``ingest`` — a file in: document, new articles, facts and links stored and audited (start here
  to follow a file through the module);
* ``links`` — planning links with the pure ``intel.linker``, the review queue (待确认) and its
  decisions;
* ``search`` — keeping the index (``intel.search``) in step with the database, and search pages;
* ``dashboard`` — the investment summary of the overview page;
* ``storage`` — the content-addressed file store under ``data_dir/files``.
"""

from longcheng.intel.service.documents import (
    articles_of,
    decoded_text,
    facts_of,
    get_document,
    list_documents,
    original,
)
from longcheng.intel.service.facts import (
    PROJECT_EVENTS,
    fact_conditions,
    facts_for_projects,
    filtered_facts,
    get_fact,
    history,
    holders,
    iter_export,
    list_facts,
)

__all__ = [
    "PROJECT_EVENTS",
    "articles_of",
    "decoded_text",
    "fact_conditions",
    "facts_for_projects",
    "facts_of",
    "filtered_facts",
    "get_document",
    "get_fact",
    "history",
    "holders",
    "iter_export",
    "list_documents",
    "list_facts",
    "original",
]
