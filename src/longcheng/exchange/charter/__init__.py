"""The alliance charter (pure): which rulebook keys a member may override and within which
bounds, the fee schedule and its split, the tendering rules, and a readable Chinese diff between
two rule versions. Loaded from ``exchange/data/alliance.yaml``; a bad file is refused with file,
line and key. No models, sessions or web code here.
"""
