"""Data files of the projects package: plan templates and light thresholds."""
