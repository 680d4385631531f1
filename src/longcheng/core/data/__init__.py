"""Data files of the core package: the holiday arrangement (holidays.yaml)."""
