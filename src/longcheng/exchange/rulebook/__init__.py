"""The trading rulebook (pure): asset classes with their field schemas, and the rules per class
and mode, loaded from ``exchange/data/rulebook.yaml`` and checked at load.

Start with :func:`book.load` and :meth:`book.Rulebook.rules_for`; :func:`fields.clean` checks a
listing's class fields server-side. No models, sessions or web code here.
"""
