"""Data files of grants: the default stage machine, checklists and form fields of windows."""
