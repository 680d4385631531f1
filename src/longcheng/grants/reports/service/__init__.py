"""The reports' behaviour: ``outcomes`` (per-firm indicators, the programme report) and
``dashboard`` (applications, amounts, time in stage)."""
