"""Who may do what with news intelligence, and which facts a user can see.

Decision (documented here and on the pages):

* **Analysts** are officers and administrators: they ingest files, read documents, search,
  review links and export. News is public information, so a district officer sees the intel of
  the whole city (the district filter is a choice on the page, not a wall).
* **Auditors** read everything and export, but change nothing (no ingest, no link decisions).
* **Enterprise users** see no documents, no search, no dashboard and no review queue; they see
  only the facts linked to their own organisation (auto or confirmed link to their USCC) — "what
  the news says about us" — each with its sentence and the article's title.
* **Reviewers** (grant experts) have no intel access.
* Rebuilding the search index is an administrator's job.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, select, true

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import define
from longcheng.intel.models import HOLDING, Fact, Link

ANALYSTS = (Role.admin, Role.officer)
READERS = (*ANALYSTS, Role.auditor)

INTEL_READ = define("intel.read", *READERS)
FACT_READ = define("intel.fact.read", *READERS, Role.enterprise)
EXPORT = define("intel.export", *READERS)
INGEST = define("intel.ingest", *ANALYSTS)
LINK_READ = define("intel.link.read", *READERS)
LINK_REVIEW = define("intel.link.review", *ANALYSTS)
REINDEX = define("intel.reindex", Role.admin)


def facts_visible_to(actor: Actor) -> ColumnElement[bool]:
    """The one scope filter for fact queries: every fact for readers, linked facts for a firm."""
    if actor.role is Role.enterprise:
        if not actor.org_uscc:
            return false()
        own = select(Link.fact_id).where(
            Link.target_type == "org", Link.target == actor.org_uscc, Link.status.in_(HOLDING)
        )
        return and_(Fact.id.in_(own))
    if actor.role in READERS:
        return true()
    return false()


def may_see_fact(actor: Actor, holders: set[str]) -> bool:
    """Readers see every fact; an enterprise user only a fact linked to its own organisation.

    Intel resources are not passed to ``core.auth.can`` as scoped resources: news is public, so
    the district scope of an officer does not apply; the firm scope is this one rule.
    """
    if actor.role is Role.enterprise:
        return actor.org_uscc is not None and actor.org_uscc in holders
    return actor.role in READERS
