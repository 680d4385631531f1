"""The deposit book's posting rules (pure): double entry in integer fen.

Every operation of the 保证金 ledger is a balanced set of postings (debits positive, credits
negative, summing to zero); :mod:`postings` names the accounts and builds the postings,
:func:`postings.verify` re-adds a whole ledger. No models or sessions here.
"""
