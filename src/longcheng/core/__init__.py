"""Cross-cutting core: settings, database, errors, audit trail (痕迹化管理), auth, money and time.

Every domain module may import from here; nothing here imports a domain module.

The shared web shape of every module's pages is here too: :mod:`.http` (the request's
session, actor and CSRF), :mod:`.templating` (``render``), :mod:`.paging` (``Page``),
:mod:`.listing` (list pages: links that keep filters, HTMX partials, XLSX downloads — start
there to write a list page), :mod:`.forms` (a refused form shown again as typed) and
:mod:`.exporting` (the workbook itself). Their Jinja macros are the ``_*.html`` files in
``longcheng/templates/``. Two per-process memories keep list requests cheap:
:mod:`.actor_cache` (who a credential belongs to, at most 2 s) and :mod:`.totals` (list totals
until the next recorded change).
"""
