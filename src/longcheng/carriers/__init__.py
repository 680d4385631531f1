"""Carriers (载体): sites offered to investors, and investor leads (招商线索)."""
