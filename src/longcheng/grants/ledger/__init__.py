"""The budget ledger: double-entry in integer fen per programme and fiscal year.

Accounts per programme-year: ``appropriation`` (where the budget comes from, negative),
``available``, ``committed``, ``payable``, ``paid``, ``clawed_back``. A posting moves an amount
from one account to another, so the balances of a programme-year always sum to zero; no
account but ``appropriation`` may go negative. ``service.verify`` recomputes every balance
from the postings.
"""
