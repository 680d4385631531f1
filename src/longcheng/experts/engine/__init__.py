"""The pure engine of expert review: plain data in, plain data out (no database, no web).

* :mod:`.taxonomy` — fields of expertise kept as data, with synonyms.
* :mod:`.assign` — stratified, seeded random assignment of N experts per item.
* :mod:`.coi` — conflict-of-interest reasons from precomputed facts.
* :mod:`.rubric` — rubrics kept as data, score validation, weighted totals and aggregation.
"""
