"""The alliance (中国产权e交易联盟) over the exchange: member institutions as tenants with their
profile (branding, bank account), member overrides of the rulebook within the charter's bounds,
and dated, reviewed versions of the one rulebook.

``service.rules_for`` is what a new listing takes and keeps; ``charter`` (pure) holds the bounds.
"""
