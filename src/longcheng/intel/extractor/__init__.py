"""The pure fact extractor of the intel module: text in, money facts with their source out.

Usage::

    extractor = Extractor(known_orgs=registry_names)
    for fact in extractor.extract(text, published=date(2023, 7, 20)):
        print(fact_to_json(fact, "article.txt"))

No database and no network: the engine takes plain data and returns plain data, so it runs the
same in a web request, the CLI and a batch job over Parquet snapshots.

Start reading at ``engine`` (:class:`Extractor`, :class:`Fact`). It cuts text into sentences and
clauses (``sentences``), finds amounts with ``longcheng.core.money`` and reads what each one is
from cue words (``cues``), names (``names``), dates (``dates``) and places (``gazetteer``, the
Changzhou places of ``data/places.yaml``), gathered per sentence in ``context``. ``evaluate``
scores the extractor against the hand-labelled facts in ``tests/intel/extractor/labels``.

Imports only the standard library, ``yaml`` and ``longcheng.core.money``.
"""

from longcheng.intel.extractor.engine import EVENTS, KINDS, Extractor, Fact, fact_to_json

__all__ = ["EVENTS", "KINDS", "Extractor", "Fact", "fact_to_json"]
