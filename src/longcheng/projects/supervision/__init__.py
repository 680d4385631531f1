"""督办 (supervision orders): what is demanded of a project by when, the replies and their files.

The bureau issues a 督办单 with a reply deadline in working days; those who answer for the
project reply with text and files (stored once by SHA-256). An order not answered in time, or
answered late, turns the project's light red (:mod:`longcheng.projects.schedule.lights`).

* :mod:`.service` — issue, reply, files (start here).
* :mod:`.models` — ``SupervisionOrder``, ``SupervisionReply``, ``ReplyAttachment``, ``StoredFile``.
* :mod:`.api`, :mod:`.pages` — the JSON routes and the forms on the project page.

Uses the project record (:mod:`longcheng.projects.service`); the record's lights read this
sub-domain's tables, never its service.
"""
