"""Talent services, by sub-flow: ``people`` (records, validation, search, lists), ``personal``
(a person's own page: record, download, correction, 实名 confirmation, bank account), ``pii``
(unmasked views and grants, key rotation), ``sources`` (the three imports and freshness),
``runs`` (the monthly 直兑 run and its diff), ``payments`` (payment lines, arrears, recoveries)
and ``dashboard``. Services never commit; every change is audited in the same transaction.
"""
