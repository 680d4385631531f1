"""Attachments (附件) of grants: the one way an upload becomes a file row, shared by application
materials (申报材料), acceptance evidence (验收材料) and progress-report attachments (进度报告附件).

Each owner keeps its own table (``grants_application_file``, ``grants_acceptance_file``,
``grants_progress_file``) with the same columns (``models.AttachmentColumns``); the file is
checked by its real type, size and zip bomb (``engine.files``) against the rules the owner passes
(allowed types, size limit), then kept once under its SHA-256 in the platform's file store
(``core.files``). A new upload adds a row and never overwrites one. Who may upload, and when,
stays with the owner. Start at ``service.py``."""
