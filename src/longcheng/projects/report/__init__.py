"""The monthly supervision bulletin (督查专报): gathered from the database, written as XLSX and PDF.

* :mod:`.service` — the only part that reads the database: gathers one row per project for a
  month and writes both files (``longcheng projects report``). Start here.
* :mod:`.gather` — pure: the bulletin's data (:class:`~.gather.MonthlyReport`), its figures and summary text.
* :mod:`.xlsx`, :mod:`.pdf`, :mod:`.charts` — pure renderers of a ``MonthlyReport``.

``gather``, ``xlsx``, ``pdf`` and ``charts`` import no models or services (only
:mod:`longcheng.projects.schedule`, openpyxl and reportlab).
"""
