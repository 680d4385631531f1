"""Exchange (e交易): listings, bidders, the deposit ledger, live bidding and settlement."""
