"""Audit sampling of paid awards, findings and clawback (追回)."""
