"""Experts (专家库): the expert pool, conflict-of-interest exclusion and rubric scoring.

Shared by grants (专家评审), challenges (揭榜挂帅) and talent reviews: a module names what is
reviewed by a ``context`` and a ``ref`` and calls :mod:`.service` only.

Terms: 专家库 (the pool), 评审领域 (field of expertise), 回避 (recusal for a conflict of
interest), 利益冲突声明 (COI declaration, signed before the file is shown), 评分细则 (rubric),
去掉最高分和最低分 (the highest and lowest totals dropped when five or more experts score).

States: an expert is 在库可用 (active) or 暂不可用 (away, with a substitute); an assignment is
assigned → recused (declared a conflict) or replaced (substituted).

Map: ``engine/`` (pure: taxonomy, assign, coi, rubric), ``models.py``, ``schemas.py``,
``service/`` (``pool`` and ``review``), ``api.py``, ``pages.py``, ``importer.py``, ``export.py``,
``data/`` (fields of expertise and rubrics as YAML).
"""
