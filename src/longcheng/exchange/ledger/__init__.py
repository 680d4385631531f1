"""保证金 ledger: accounts, balanced entries, bank statement lines and refunds.

Postings follow :mod:`longcheng.exchange.book.postings`; ``service`` posts entries under row
locks, ``statements`` imports and matches bank lines, ``refunds`` pays money back by the
original route on a working-day deadline.
"""
