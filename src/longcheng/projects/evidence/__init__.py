"""News evidence (佐证) for projects, and possible new leads (线索) found in the news.

The news module announces new facts (``core.hooks.FACTS_STORED``); :func:`.service.on_facts_stored`
reads them through intel's public service and matches each against every project. A match is
stored as *proposed* evidence for an officer to accept or reject on the project page; an
unmatched signing or start becomes a *possible new lead*, which an officer turns into a project
(stage 线索) or dismisses.

* :mod:`.service` — propose, decide, leads (start here).
* :mod:`.matching` — the pure matcher: plain candidates and project profiles in, scored matches
  out (imports only the standard library).
* :mod:`.models` — ``ProjectEvidence`` (evidence and leads in one table).
* :mod:`.api`, :mod:`.pages` — JSON routes, the decision form and the leads page (``leads.html``).

Uses the project record (:mod:`longcheng.projects.service`); the record never uses this.
"""
