"""Pages of the project record (Jinja2 + HTMX, templates in ``templates/projects/``).

* :mod:`.records` — list, pipeline board, leader's dashboard, the project page route (start here).
* :mod:`.detail` — the project page, and how an action on one project returns to it.
* :mod:`.form` — registering and editing a project, with the 409 page that keeps what was typed.
* :mod:`.work` — stage, plan and investment forms on the project page.
* :mod:`.tools` — thresholds and exchange rates, ceremonies, import.
* :mod:`.choices` — what filter bars and forms offer, with Chinese labels.

督办 and evidence have their own pages (:mod:`longcheng.projects.supervision.pages`,
:mod:`longcheng.projects.evidence.pages`).
"""
