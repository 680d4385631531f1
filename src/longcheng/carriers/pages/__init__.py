"""Pages of carriers: :mod:`.portal` (the public search and carrier page, no login),
:mod:`.sites` (officers register and edit carriers, vacancy, photos, the list and its export)
and :mod:`.leads` (officers' investor leads: list, form, matches, conversion, history)."""
