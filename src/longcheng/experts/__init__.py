"""Experts (专家库): the expert pool, conflict-of-interest exclusion and rubric scoring shared by grants, challenges and tenders."""
