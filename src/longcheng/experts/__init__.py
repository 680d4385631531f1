"""Experts (专家库): the expert pool, conflict-of-interest exclusion and rubric scoring.

Shared by grants, challenges and tenders.
"""
