"""Reports of grants, for staff: what the money did and where the applications stand.

* ``service/outcomes.py`` — outcome indicators (成效指标) per funded firm from the registry's
  dated facts (营业收入, 研发投入, 纳税额, 从业人数): before = the year before the award (the
  application's fiscal year), after = the latest later year reported; and the programme report
  (专项绩效报告): amount paid, firms, and yuan paid per outcome unit (per 万元 of revenue, R&D and
  tax growth, per new job).
* ``service/dashboard.py`` — the programme dashboard (专项驾驶舱): applications, amounts and
  time in the current stage by programme and by district, filtered by year, programme, district.
* ``pages.py`` — the pages with charts (``core.charts``) and their XLSX exports; ``schemas.py``
  the filters.
"""
