"""The pure fact extractor of the intel module: text in, money facts with their source out.

Usage::

    extractor = Extractor(known_orgs=registry_names)
    for fact in extractor.extract(text, published=date(2023, 7, 20)):
        print(fact_to_json(fact, "article.txt"))

No database and no network: the engine takes plain data and returns plain data, so it runs the
same in a web request, the CLI and a batch job over Parquet snapshots.
"""

from longcheng.intel.extractor.engine import EVENTS, KINDS, Extractor, Fact, fact_to_json

__all__ = ["EVENTS", "KINDS", "Extractor", "Fact", "fact_to_json"]
